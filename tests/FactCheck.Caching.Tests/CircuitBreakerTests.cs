namespace FactCheck.Caching.Tests;

public class CircuitBreakerTests
{
    private int openings;

    private CircuitBreaker Breaker(int failureThreshold)
    {
        var breaker = new CircuitBreaker(failureThreshold);
        breaker.Opened += () => openings++;
        return breaker;
    }

    private static void Fail(CircuitBreaker breaker, int times)
    {
        for (var i = 0; i < times; i++) breaker.RecordFailure();
    }

    [Fact]
    public void ANewBreakerIsClosed() => Assert.False(Breaker(3).IsOpen);

    [Fact]
    public void ItOpensAtTheThresholdOfConsecutiveFailuresAndNotBefore()
    {
        var breaker = Breaker(3);

        Fail(breaker, 2);
        Assert.False(breaker.IsOpen);
        Assert.Equal(0, openings);

        breaker.RecordFailure();
        Assert.True(breaker.IsOpen);
        Assert.Equal(1, openings);
    }

    [Fact]
    public void ASuccessResetsTheCountOfConsecutiveFailures()
    {
        var breaker = Breaker(3);
        Fail(breaker, 2);

        breaker.RecordSuccess();
        Fail(breaker, 2);
        Assert.False(breaker.IsOpen);

        breaker.RecordFailure();
        Assert.True(breaker.IsOpen);
    }

    [Fact]
    public void ASuccessDoesNotCloseAnOpenBreaker()
    {
        var breaker = Breaker(1);
        breaker.RecordFailure();

        breaker.RecordSuccess();

        Assert.True(breaker.IsOpen);
    }

    [Fact]
    public void OpenedFiresOncePerOpening()
    {
        var breaker = Breaker(2);

        Fail(breaker, 2);
        Assert.Equal(1, openings);
        Fail(breaker, 3);
        breaker.Trip();
        Assert.Equal(1, openings); // already open

        breaker.Close();
        Fail(breaker, 2);
        Assert.Equal(2, openings);
        breaker.Close();
        breaker.Trip();
        Assert.Equal(3, openings);
    }

    [Fact]
    public void TripOpensImmediatelyWithoutAnyFailure()
    {
        var breaker = Breaker(100);

        breaker.Trip();

        Assert.True(breaker.IsOpen);
        Assert.Equal(1, openings);
    }

    [Fact]
    public void CloseClosesTheBreakerAndResetsTheFailureCount()
    {
        var breaker = Breaker(3);
        Fail(breaker, 3);
        Assert.True(breaker.IsOpen);

        breaker.Close();
        Assert.False(breaker.IsOpen);

        Fail(breaker, 2);
        Assert.False(breaker.IsOpen);
        breaker.RecordFailure();
        Assert.True(breaker.IsOpen);
    }

    [Fact]
    public void CloseResetsFailuresCountedWhileClosed()
    {
        var breaker = Breaker(3);
        Fail(breaker, 2);

        breaker.Close();
        Fail(breaker, 2);

        Assert.False(breaker.IsOpen);
        Assert.Equal(0, openings);
    }
}

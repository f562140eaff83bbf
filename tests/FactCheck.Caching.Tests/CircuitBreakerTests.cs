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

    [Fact(Timeout = TestTimeouts.Store)]
    public Task ANewBreakerIsClosed() => Task.Run(() => Assert.False(Breaker(3).IsOpen));

    [Fact(Timeout = TestTimeouts.Store)]
    public Task ItOpensAtTheThresholdOfConsecutiveFailuresAndNotBefore() => Task.Run(() =>
    {
        var breaker = Breaker(3);

        Fail(breaker, 2);
        Assert.False(breaker.IsOpen);
        Assert.Equal(0, openings);

        breaker.RecordFailure();
        Assert.True(breaker.IsOpen);
        Assert.Equal(1, openings);
    });

    [Fact(Timeout = TestTimeouts.Store)]
    public Task ASuccessResetsTheCountOfConsecutiveFailures() => Task.Run(() =>
    {
        var breaker = Breaker(3);
        Fail(breaker, 2);

        breaker.RecordSuccess();
        Fail(breaker, 2);
        Assert.False(breaker.IsOpen);

        breaker.RecordFailure();
        Assert.True(breaker.IsOpen);
    });

    [Fact(Timeout = TestTimeouts.Store)]
    public Task ASuccessDoesNotCloseAnOpenBreaker() => Task.Run(() =>
    {
        var breaker = Breaker(1);
        breaker.RecordFailure();

        breaker.RecordSuccess();

        Assert.True(breaker.IsOpen);
    });

    [Fact(Timeout = TestTimeouts.Store)]
    public Task OpenedFiresOncePerOpening() => Task.Run(() =>
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
    });

    [Fact(Timeout = TestTimeouts.Store)]
    public Task TripOpensImmediatelyWithoutAnyFailure() => Task.Run(() =>
    {
        var breaker = Breaker(100);

        breaker.Trip();

        Assert.True(breaker.IsOpen);
        Assert.Equal(1, openings);
    });

    [Fact(Timeout = TestTimeouts.Store)]
    public Task CloseClosesTheBreakerAndResetsTheFailureCount() => Task.Run(() =>
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
    });

    [Fact(Timeout = TestTimeouts.Store)]
    public Task CloseResetsFailuresCountedWhileClosed() => Task.Run(() =>
    {
        var breaker = Breaker(3);
        Fail(breaker, 2);

        breaker.Close();
        Fail(breaker, 2);

        Assert.False(breaker.IsOpen);
        Assert.Equal(0, openings);
    });
}

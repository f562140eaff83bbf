namespace FactCheck.Storage.Tests;

/// <summary>A clock that only moves when told, so tests can predict every stored time.</summary>
public sealed class ManualClock(DateTimeOffset start) : TimeProvider
{
    private DateTimeOffset now = start;

    public override DateTimeOffset GetUtcNow() => now;

    public void Advance(TimeSpan by) => now += by;
}

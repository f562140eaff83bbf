namespace FactCheck.Core.Diagnostics;

/// <summary>
/// When a background loop reports a dependency that keeps failing (the store, the model): the first failure of an
/// outage in full, stack trace and all; then one short line a minute while it lasts; then one line when it ends. A
/// loop that logged each retry would write a stack trace a second for as long as a database is down. Used by one
/// loop at a time.
/// </summary>
public sealed class OutageReports(TimeProvider clock)
{
    public static readonly TimeSpan RepeatEvery = TimeSpan.FromMinutes(1);

    private DateTimeOffset? failingSince;
    private DateTimeOffset lastReport;

    /// <summary>Records a failure and calls <paramref name="first"/> for the first of an outage, or
    /// <paramref name="ongoing"/> (how long it has lasted, the error's message) once a minute after that.</summary>
    public void Failed(Exception error, Action<Exception> first, Action<TimeSpan, string> ongoing)
    {
        var now = clock.GetUtcNow();
        if (failingSince is not { } since)
        {
            (failingSince, lastReport) = (now, now);
            first(error);
        }
        else if (now - lastReport >= RepeatEvery)
        {
            lastReport = now;
            ongoing(now - since, error.Message);
        }
    }

    /// <summary>Records a success and calls <paramref name="ended"/> with the outage's length if one just ended.</summary>
    public void Succeeded(Action<TimeSpan> ended)
    {
        if (failingSince is not { } since) return;
        failingSince = null;
        ended(clock.GetUtcNow() - since);
    }
}

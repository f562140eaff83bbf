namespace FactCheck.Server.Grpc;

/// <summary>
/// One line per client error, never a stack trace, and at most one line a second: a client sending garbage in a loop
/// must not be able to fill the disk with our log. Lines held back are counted and reported by the next one.
/// Server faults do not come here; <see cref="ErrorMappingInterceptor"/> logs those in full.
/// </summary>
public sealed class ClientErrorLog(ILogger<ClientErrorLog> logger, TimeProvider clock)
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    private readonly Lock gate = new();
    private long nextLineAt;
    private int heldBack;

    public void Malformed(string method, string problem)
    {
        if (TakeTurn() is { } held)
            logger.LogInformation("Malformed request to {Method} refused: {Problem}; {HeldBack} client errors not logged since the last line", method, problem, held);
    }

    /// <summary>A request refused before it ran: no or a bad key, a role it lacks, over its rate.</summary>
    public void Refused(string method, string reason)
    {
        if (TakeTurn() is { } held)
            logger.LogInformation("Request to {Method} refused: {Reason}; {HeldBack} client errors not logged since the last line", method, reason, held);
    }

    /// <summary>The number of lines held back since the last one, or null if this one is held back too.</summary>
    private int? TakeTurn()
    {
        var now = clock.GetTimestamp();
        lock (gate)
        {
            if (now < nextLineAt)
            {
                heldBack++;
                return null;
            }
            nextLineAt = now + (long)(Interval.TotalSeconds * clock.TimestampFrequency);
            var held = heldBack;
            heldBack = 0;
            return held;
        }
    }
}

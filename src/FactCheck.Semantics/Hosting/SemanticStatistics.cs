using System.Diagnostics.Metrics;

namespace FactCheck.Semantics.Hosting;

/// <summary>The indexer's backlog and progress: the <c>FactCheck.Semantics</c> meter, the health details and the logs
/// read them from here.</summary>
public sealed class SemanticStatistics
{
    public const string MeterName = "FactCheck.Semantics";

    private long backlog = -1, indexed, embedded;
    private readonly Counter<long> embeddedCounter;

    public SemanticStatistics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        meter.CreateObservableGauge("factcheck.semantics.backlog", () => Math.Max(0, Interlocked.Read(ref backlog)),
            description: "Claims waiting to be embedded (every instance sees the shared queue)");
        meter.CreateObservableGauge("factcheck.semantics.indexed", () => Interlocked.Read(ref indexed),
            description: "Claim vectors in this instance's semantic index");
        embeddedCounter = meter.CreateCounter<long>("factcheck.semantics.embedded", description: "Claims this instance embedded and stored");
    }

    /// <summary>Claims waiting, as last counted (-1 before the first count).</summary>
    public long Backlog => Interlocked.Read(ref backlog);
    public long Indexed => Interlocked.Read(ref indexed);
    public long Embedded => Interlocked.Read(ref embedded);

    internal void Counted(long waiting) => Interlocked.Exchange(ref backlog, waiting);

    internal void Stored(int claims)
    {
        Interlocked.Add(ref embedded, claims);
        embeddedCounter.Add(claims);
        // Until the next count, the backlog is what it was less what this instance took off it.
        if (Interlocked.Read(ref backlog) > 0) Interlocked.Exchange(ref backlog, Math.Max(0, Interlocked.Read(ref backlog) - claims));
    }

    internal void IndexHolds(int vectors) => Interlocked.Exchange(ref indexed, vectors);
}

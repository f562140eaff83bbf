using System.Collections.Concurrent;
using FactCheck.V1;

namespace FactCheck.IntegrationTests.Caching;

/// <summary>
/// Finds stale reads. Etags are stored versions, so a read that started after a write was acknowledged must return at
/// least the version that write acknowledged. Writers report what they were acknowledged; a reader takes the floors
/// before its call and checks what came back against them.
/// </summary>
public sealed class StaleReadChecker
{
    private readonly ConcurrentDictionary<string, long> acknowledged = new();
    private readonly ConcurrentQueue<string> stale = new();
    private long reads;

    public IReadOnlyCollection<string> StaleReads => stale;
    public long Reads => Interlocked.Read(ref reads);

    public void Acknowledged(Claim claim) => Acknowledged(claim.Name, Version(claim.Etag));
    public void Acknowledged(Speaker speaker) => Acknowledged(speaker.Name, Version(speaker.Etag));

    public void Acknowledged(string name, long version) => acknowledged.AddOrUpdate(name, version, (_, current) => Math.Max(current, version));

    /// <summary>The acknowledged version of <paramref name="name"/>, 0 if none yet.</summary>
    public long Floor(string name) => acknowledged.GetValueOrDefault(name);

    /// <summary>Every floor, taken before a call that may return any of them (a batch, a listing).</summary>
    public IReadOnlyDictionary<string, long> Floors() => new Dictionary<string, long>(acknowledged);

    public void Check(IReadOnlyDictionary<string, long> floors, Claim claim, string via) => Check(floors.GetValueOrDefault(claim.Name), claim.Name, claim.Etag, via);
    public void Check(IReadOnlyDictionary<string, long> floors, Speaker speaker, string via) => Check(floors.GetValueOrDefault(speaker.Name), speaker.Name, speaker.Etag, via);
    public void Check(long floor, Claim claim, string via) => Check(floor, claim.Name, claim.Etag, via);
    public void Check(long floor, Speaker speaker, string via) => Check(floor, speaker.Name, speaker.Etag, via);

    private void Check(long floor, string name, string etag, string via)
    {
        Interlocked.Increment(ref reads);
        var seen = Version(etag);
        if (seen < floor) stale.Enqueue($"{via}: {name} at version {seen} after version {floor} was acknowledged");
    }

    public static long Version(string etag) => long.Parse(etag.Trim('"'));
}

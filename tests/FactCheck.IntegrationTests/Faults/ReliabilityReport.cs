using Xunit.Abstractions;

namespace FactCheck.IntegrationTests.Faults;

/// <summary>
/// The figures of each fault drill: printed to the test's output and, when scripts/test.sh sets
/// FACTCHECK_TEST_RESULTS, appended to reliability.tsv there, which the script prints as a table at the end of the run
/// (the README's Reliability table is copied from it).
/// </summary>
internal static class ReliabilityReport
{
    private static readonly Lock FileGate = new();

    public static void Record(ITestOutputHelper output, string fault, long calls, long failed, long stale, long lost, string note = "")
    {
        var line = string.Join('\t', fault, calls, failed, stale, lost, note);
        output.WriteLine($"reliability\t{line}");
        if (Environment.GetEnvironmentVariable("FACTCHECK_TEST_RESULTS") is not { Length: > 0 } folder) return;
        lock (FileGate) File.AppendAllLines(Path.Combine(folder, "reliability.tsv"), [line]);
    }
}

/// <summary>Fault drills run one at a time: each drives two or more server processes and sixteen callers.</summary>
[CollectionDefinition(Name)]
public sealed class FaultDrills
{
    public const string Name = "fault drills";
}

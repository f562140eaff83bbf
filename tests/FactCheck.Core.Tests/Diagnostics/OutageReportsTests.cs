using FactCheck.Core.Diagnostics;

namespace FactCheck.Core.Tests.Diagnostics;

public class OutageReportsTests
{
    private sealed class Clock : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = new(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);
        public override DateTimeOffset GetUtcNow() => Now;
    }

    [Fact(Timeout = TestTimeouts.Unit)]
    public Task AnOutageIsReportedInFullOnceThenOnceAMinuteThenWhenItEnds() => Task.Run(() =>
    {
        var clock = new Clock();
        var reports = new OutageReports(clock);
        var lines = new List<string>();
        void Fail(string message) => reports.Failed(new TimeoutException(message), e => lines.Add($"first {e.Message}"), (lasted, problem) => lines.Add($"ongoing {lasted.TotalSeconds} {problem}"));

        reports.Succeeded(lasted => lines.Add($"ended {lasted.TotalSeconds}"));
        Assert.Empty(lines); // no outage, nothing to end
        for (var second = 0; second < 150; second++)
        {
            Fail($"down at {second}");
            clock.Now += TimeSpan.FromSeconds(1);
        }
        reports.Succeeded(lasted => lines.Add($"ended {lasted.TotalSeconds}"));
        reports.Succeeded(lasted => lines.Add($"ended again {lasted.TotalSeconds}"));
        Fail("down again");

        Assert.Equal(["first down at 0", "ongoing 60 down at 60", "ongoing 120 down at 120", "ended 150", "first down again"], lines);
    });
}

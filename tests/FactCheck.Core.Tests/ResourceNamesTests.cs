using FactCheck.Core;

namespace FactCheck.Core.Tests;

public sealed class ResourceNamesTests
{
    [Fact(Timeout = TestTimeouts.Unit)]
    public Task Ids_are_16_base32_characters_that_sort_by_creation_second() => Task.Run(() =>
    {
        var start = new DateTimeOffset(2026, 11, 25, 14, 0, 0, TimeSpan.Zero);
        var ids = Enumerable.Range(0, 200).Select(i => ResourceNames.NewId(start.AddSeconds(i * 37))).ToList();

        Assert.All(ids, id => Assert.Matches("^[0-9a-hjkmnp-tv-z]{16}$", id));
        Assert.Equal(ids, ids.Order(StringComparer.Ordinal));
        Assert.Equal(ResourceNames.NewId(start)[..7], ResourceNames.NewId(start.AddMilliseconds(999))[..7]);
    });

    [Fact(Timeout = TestTimeouts.Unit)]
    public Task Ids_made_in_the_same_second_differ_in_their_random_part() => Task.Run(() =>
    {
        var now = DateTimeOffset.UtcNow;

        var ids = Enumerable.Range(0, 10_000).Select(_ => ResourceNames.NewId(now)).ToList();

        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.True(ids.Select(id => id[7]).Distinct().Count() > 16, "the first random character takes many values");
    });

    [Fact(Timeout = TestTimeouts.Unit)]
    public Task New_ids_are_stamped_with_the_time_of_the_clock_they_are_given() => Task.Run(() =>
    {
        var clock = new FixedClock(new DateTimeOffset(2001, 9, 9, 1, 46, 40, TimeSpan.Zero));
        var dayLater = new FixedClock(clock.GetUtcNow().AddDays(1));

        var id = ResourceNames.NewId(clock);

        Assert.Equal(ResourceNames.NewId(clock.GetUtcNow())[..7], id[..7]);
        Assert.NotEqual(ResourceNames.NewId()[..7], id[..7]); // not the system clock's time
        Assert.True(string.CompareOrdinal(id, ResourceNames.NewId(dayLater)) < 0, "ids stay ordered by their clock's time");
    });

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}

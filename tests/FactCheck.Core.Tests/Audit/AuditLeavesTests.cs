using System.Reflection;
using FactCheck.Core.Audit;

namespace FactCheck.Core.Tests.Audit;

public sealed class AuditLeavesTests
{
    private static readonly AuditEvent Event = AuditChain.Seal(new AuditEvent
    {
        Id = "01JPAB3XQ7",
        Time = new DateTimeOffset(2025, 3, 14, 9, 26, 53, TimeSpan.Zero),
        Principal = "alice@newsroom.example",
        Action = AuditActions.ClaimUpdate,
        ResourceName = "claims/01JPAB3",
        Before = "{\"text\":\"old\"}",
        After = "{\"text\":\"new\"}",
        Reason = "typo",
        RequestId = "r-1",
    }, 42, AuditChain.Genesis);

    [Fact(Timeout = TestTimeouts.Unit)]
    public async Task Editing_any_column_of_an_event_changes_its_leaf_hash()
    {
        await Task.Yield();
        var original = Event.ToLeaf().LeafHash();
        // Every property, so that a column added to AuditEvent but not to the leaf fails here.
        var properties = typeof(AuditEvent).GetProperties(BindingFlags.Public | BindingFlags.Instance);
        Assert.Equal(12, properties.Length);
        foreach (var property in properties)
        {
            var edited = Clone(Event);
            property.SetValue(edited, Changed(property.GetValue(Event)));
            Assert.True(original != edited.ToLeaf().LeafHash(), $"editing {property.Name} is not seen in the leaf");
        }
    }

    [Fact(Timeout = TestTimeouts.Unit)]
    public async Task The_leaf_index_is_the_sequence_less_one()
    {
        await Task.Yield();
        Assert.Equal(41, Event.ToLeaf().Index);
        Assert.Equal(Event.Hash, Event.ToLeaf().EventHash);
    }

    private static AuditEvent Clone(AuditEvent e) => e with { };

    private static object Changed(object? value) => value switch
    {
        long number => number + 1,
        string text => text + "x",
        null => "x",
        DateTimeOffset time => time.AddTicks(TimeSpan.TicksPerMicrosecond),
        byte[] bytes => bytes.Select(b => (byte)(b ^ 1)).ToArray(),
        _ => throw new InvalidOperationException($"no edit for a {value.GetType()}"),
    };
}

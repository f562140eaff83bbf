using System.Security.Cryptography;
using System.Text;
using FactCheck.Transparency.Audit;

namespace FactCheck.Transparency.Tests.Audit;

public sealed class AuditLeafTests
{
    /// <summary>The worked example of docs/audit-log.md.</summary>
    internal static readonly AuditLeaf Example = new(
        Sequence: 42,
        Id: "01JPAB3XQ7",
        Time: new DateTimeOffset(2025, 3, 14, 9, 26, 53, TimeSpan.Zero).AddTicks(5_897_930),
        Principal: "alice@newsroom.example",
        Action: "claim.update",
        Resource: "claims/01JPAB3",
        BeforeJson: "{\"text\":\"old\"}",
        AfterJson: "{\"text\":\"nouveau — été\"}",
        Reason: "typo",
        RequestId: null,
        PreviousHash: Enumerable.Range(0, 32).Select(i => (byte)i).ToArray(),
        EventHash: SHA256.HashData("event 42"u8));

    [Fact(Timeout = TestTimeouts.Unit)]
    public async Task The_leaf_hash_is_the_one_computed_from_the_documented_encoding_by_a_separate_program()
    {
        await Task.Yield();
        // Computed with the Python script in docs/audit-log.md (hashlib and struct only).
        Assert.Equal(1741944413589793, Example.UnixMicroseconds);
        Assert.Equal(261, Example.ToBytes().Length);
        Assert.Equal("c813614619b7fffb4727639e05caf7bb2052e626b9a24d908decd58523438dff", Convert.ToHexStringLower(Example.LeafHash().ToArray()));
        Assert.Equal(41, Example.Index);
    }

    [Fact(Timeout = TestTimeouts.Unit)]
    public async Task Changing_any_column_changes_the_leaf_hash()
    {
        await Task.Yield();
        AuditLeaf[] edits =
        [
            Example with { Sequence = 43 },
            Example with { Id = "01JPAB3XQ8" },
            Example with { Time = Example.Time.AddTicks(TimeSpan.TicksPerMicrosecond) },
            Example with { Principal = "mallory@newsroom.example" },
            Example with { Action = "claim.delete" },
            Example with { Resource = "claims/01JPAB4" },
            Example with { BeforeJson = "{\"text\":\"older\"}" },
            Example with { AfterJson = "{\"text\":\"nouveau — ete\"}" },
            Example with { Reason = "typo!" },
            Example with { RequestId = "r-1" },
            Example with { PreviousHash = SHA256.HashData("other"u8) },
            Example with { EventHash = SHA256.HashData("other"u8) },
        ];
        // One edit per column, each detected, and none colliding with another.
        Assert.Equal(typeof(AuditLeaf).GetProperties().Count(p => p.CanWrite), edits.Length);
        var hashes = edits.Select(e => e.LeafHash()).Append(Example.LeafHash()).ToList();
        Assert.Equal(hashes.Count, hashes.Distinct().Count());
    }

    [Fact(Timeout = TestTimeouts.Unit)]
    public async Task Fields_cannot_run_into_each_other()
    {
        await Task.Yield();
        // Moving text from the end of one field to the start of the next changes the bytes, thanks to the lengths.
        var shifted = Example with { Principal = "alice@newsroom.exampleclaim.", Action = "update" };
        Assert.NotEqual(Example.LeafHash(), shifted.LeafHash());
    }

    [Fact(Timeout = TestTimeouts.Unit)]
    public async Task Absent_and_empty_texts_are_the_same_leaf_as_the_API_shows_both_as_empty()
    {
        await Task.Yield();
        Assert.Equal(Example.LeafHash(), (Example with { RequestId = "" }).LeafHash());
        Assert.Equal(Encoding.UTF8.GetByteCount(AuditLeaf.Version), BitConverter.ToInt32(Example.ToBytes().AsSpan(0, 4).ToArray().Reverse().ToArray()));
    }

    [Fact(Timeout = TestTimeouts.Unit)]
    public async Task Time_is_kept_to_the_microsecond_as_the_stores_keep_it()
    {
        await Task.Yield();
        // Ticks below a microsecond are not stored, so they must not change the leaf.
        Assert.Equal(Example.LeafHash(), (Example with { Time = Example.Time.AddTicks(9) }).LeafHash());
        Assert.Equal(Example.LeafHash(), (Example with { Time = Example.Time.ToOffset(TimeSpan.FromHours(2)) }).LeafHash());
    }
}

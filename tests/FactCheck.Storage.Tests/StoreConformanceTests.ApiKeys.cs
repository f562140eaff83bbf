using System.Security.Cryptography;
using FactCheck.Core;
using FactCheck.Core.Access;
using FactCheck.Core.Audit;
using FactCheck.Core.Errors;
using FactCheck.Core.Storage;

namespace FactCheck.Storage.Tests;

/// <summary>API keys: stored by the hash of their secret, revoked rather than deleted.</summary>
public abstract partial class StoreConformanceTests
{
    [Fact(Timeout = TestTimeouts.Store)]
    public async Task A_created_api_key_is_found_by_its_secret_hash_with_the_create_time_the_store_set()
    {
        // The store sets the create time, whatever the caller passed.
        var key = NewApiKey("ci-bot", Roles.Reader | Roles.Reviewer) with { CreateTime = Start.AddYears(-1) };
        var other = await Store.ApiKeys.CreateApiKeyAsync(NewApiKey("other") with { Description = null }, TestAudit, Ct);

        var created = await Store.ApiKeys.CreateApiKeyAsync(key, TestAudit, Ct);

        AssertSameContent(key with { CreateTime = StoredNow() }, created);
        Assert.Equal(key.SecretHash, created.SecretHash); // not in the JSON: [JsonIgnore] keeps it out of audit snapshots
        var found = await Store.ApiKeys.FindApiKeyAsync(key.SecretHash.ToArray(), Ct);
        AssertSameContent(created, found);
        Assert.Equal(key.SecretHash, found!.SecretHash);
        Assert.Null(found.RevokeTime);
        Assert.Null((await Store.ApiKeys.FindApiKeyAsync(other.SecretHash, Ct))!.Description);
        Assert.Null(await Store.ApiKeys.FindApiKeyAsync(SHA256.HashData("unknown"u8), Ct));
    }

    [Fact(Timeout = TestTimeouts.Store)]
    public async Task Api_keys_are_listed_in_creation_order_revoked_ones_included()
    {
        var keys = new List<ApiKey>();
        foreach (var principal in new[] { "zed", "amy", "mo" })
        {
            keys.Add(await Store.ApiKeys.CreateApiKeyAsync(NewApiKey(principal, Roles.Admin), TestAudit, Ct));
            Clock.Advance(TimeSpan.FromMinutes(1));
        }
        keys[1] = await Store.ApiKeys.RevokeApiKeyAsync(keys[1].Id, Clock.GetUtcNow(), TestAudit, Ct);

        var listed = await Store.ApiKeys.ListApiKeysAsync(Ct);

        AssertSameContent(keys, listed.ToList());
        Assert.Equal(keys.Select(k => k.SecretHash), listed.Select(k => k.SecretHash));
    }

    [Fact(Timeout = TestTimeouts.Store)]
    public async Task Creating_and_revoking_an_api_key_append_events_without_the_secret_hash()
    {
        var createAudit = new AuditContext("admin", AuditActions.ApiKeyCreate, "for the CI", "request-4");
        var created = await Store.ApiKeys.CreateApiKeyAsync(NewApiKey("ci-bot", Roles.Editor), createAudit, Ct);
        var createTime = StoredNow();
        Clock.Advance(TimeSpan.FromDays(3));
        var revokeAudit = new AuditContext("admin", AuditActions.ApiKeyRevoke, "leaked");

        var revoked = await Store.ApiKeys.RevokeApiKeyAsync(created.Id, Clock.GetUtcNow(), revokeAudit, Ct);

        await AssertAuditLogAsync(
            Expect(createAudit, $"apiKeys/{created.Id}", null, AuditSnapshots.Of(created), createTime),
            Expect(revokeAudit, created.ResourceName, AuditSnapshots.Of(created), AuditSnapshots.Of(revoked), StoredNow()));
        foreach (var e in await ReadAuditLogAsync())
        {
            Assert.DoesNotContain(Convert.ToBase64String(created.SecretHash), e.After!);
            Assert.DoesNotContain(Convert.ToHexString(created.SecretHash), e.After!, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("secret", e.After!);
        }
    }

    [Fact(Timeout = TestTimeouts.Store)]
    public async Task A_revoked_key_is_still_found_with_its_revoke_time_and_revoking_it_again_changes_nothing()
    {
        var created = await Store.ApiKeys.CreateApiKeyAsync(NewApiKey("ci-bot"), TestAudit, Ct);
        Clock.Advance(TimeSpan.FromHours(1));
        var revokeTime = Clock.GetUtcNow().AddTicks(5); // below the microsecond: stored truncated
        var storedRevokeTime = StoredValues.TruncateToMicros(revokeTime);

        var revoked = await Store.ApiKeys.RevokeApiKeyAsync(created.Id, revokeTime, TestAudit, Ct);
        var log = await ReadAuditLogAsync();
        Clock.Advance(TimeSpan.FromHours(1));
        var again = await Store.ApiKeys.RevokeApiKeyAsync(created.Id, Clock.GetUtcNow(), TestAudit, Ct);

        AssertSameContent(created with { RevokeTime = storedRevokeTime }, revoked);
        AssertSameContent(revoked, again);
        AssertSameContent(revoked, await Store.ApiKeys.FindApiKeyAsync(created.SecretHash, Ct));
        AssertSameContent(revoked, Assert.Single(await Store.ApiKeys.ListApiKeysAsync(Ct)));
        Assert.Equal(2, log.Count);
        AssertSameContent(log, await ReadAuditLogAsync());
    }

    [Fact(Timeout = TestTimeouts.Store)]
    public async Task Creating_an_api_key_with_a_taken_id_or_secret_is_already_exists_and_writes_nothing()
    {
        var first = await Store.ApiKeys.CreateApiKeyAsync(NewApiKey("first"), TestAudit, Ct);

        // The database refuses both (unique constraints); the store turns its driver's error into Core's.
        var sameId = await Assert.ThrowsAsync<AlreadyExistsException>(() =>
            Store.ApiKeys.CreateApiKeyAsync(NewApiKey("second") with { Id = first.Id }, TestAudit, Ct));
        var sameSecret = await Assert.ThrowsAsync<AlreadyExistsException>(() =>
            Store.ApiKeys.CreateApiKeyAsync(NewApiKey("third") with { SecretHash = first.SecretHash.ToArray() }, TestAudit, Ct));

        Assert.Equal(first.ResourceName, sameId.ResourceName);
        Assert.DoesNotContain("secret", sameId.Message);
        Assert.Contains("same secret", sameSecret.Message);
        AssertSameContent(new[] { first }, (await Store.ApiKeys.ListApiKeysAsync(Ct)).ToArray());
        Assert.Single(await ReadAuditLogAsync());
    }

    [Fact(Timeout = TestTimeouts.Store)]
    public async Task Revoking_an_api_key_that_does_not_exist_is_not_found()
    {
        var id = ResourceNames.NewId();

        var error = await Assert.ThrowsAsync<NotFoundException>(() => Store.ApiKeys.RevokeApiKeyAsync(id, Clock.GetUtcNow(), TestAudit, Ct));

        Assert.Equal($"apiKeys/{id}", error.ResourceName);
        Assert.Empty(await ReadAuditLogAsync());
        Assert.Empty(await Store.ApiKeys.ListApiKeysAsync(Ct));
    }
}

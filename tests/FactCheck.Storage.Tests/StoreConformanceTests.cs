using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using FactCheck.Core;
using FactCheck.Core.Audit;
using FactCheck.Core.Claims;
using FactCheck.Core.Errors;
using FactCheck.Core.Speakers;
using FactCheck.Core.Storage;

namespace FactCheck.Storage.Tests;

/// <summary>
/// What every store must do through Core's storage ports (<see cref="ISpeakerStore"/>, <see cref="IClaimStore"/>, ...),
/// whatever the database behind them. A store's test class derives from this and only says how to open a store, so
/// nothing here may depend on one database. The class is split over
/// several files by subject (StoreConformanceTests.*.cs).
/// </summary>
public abstract partial class StoreConformanceTests : IAsyncLifetime
{
    // Ticks below the microsecond: stores keep microseconds, so the times they return must already be truncated.
    private static readonly DateTimeOffset Start = new DateTimeOffset(2025, 3, 14, 9, 26, 53, TimeSpan.Zero).AddTicks(1_234_567);
    private static readonly DateOnly StartDay = new(2025, 3, 14);
    private static readonly JsonSerializerOptions Indented = new()
    {
        WriteIndented = true,
        // Only ever written: a `required` member kept out by [JsonIgnore] must not make the serializer throw.
        TypeInfoResolver = new DefaultJsonTypeInfoResolver
        {
            Modifiers = { typeInfo => { foreach (var property in typeInfo.Properties) property.IsRequired = false; } },
        },
    };
    protected static readonly CancellationToken Ct = CancellationToken.None;

    /// <summary>The audit context of writes whose audit events a test does not look at.</summary>
    protected static readonly AuditContext TestAudit = new("tester", "test.write");

    protected ManualClock Clock { get; } = new(Start);
    protected TestStore Store { get; private set; } = null!;

    /// <summary>
    /// A store on this test's own database, using <see cref="Clock"/>. The database is empty at the first call; a
    /// later call in the same test opens the same database again, as a restarted server would.
    /// </summary>
    protected abstract Task<TestStore> CreateStoreAsync();

    public virtual async Task InitializeAsync() => Store = await CreateStoreAsync();

    public virtual Task DisposeAsync() => DisposeStoreAsync();

    /// <summary>Closes the store and opens the same database again, as a restarted server would.</summary>
    protected async Task ReopenAsync()
    {
        await DisposeStoreAsync();
        Store = await CreateStoreAsync();
    }

    private async Task DisposeStoreAsync()
    {
        if (Store is not null) await Store.DisposeAsync();
    }

    // ---- Speakers ----

    [Fact(Timeout = TestTimeouts.Store)]
    public async Task A_created_speaker_is_stored_at_version_one_and_reads_back_unchanged()
    {
        var speaker = NewSpeaker("Abbas Araghchi") with
        {
            Aliases = ["Abbas Araqchi", "عباس عراقچی"],
            Roles = [new Role("Foreign Minister", "Iran", new DateOnly(2024, 8, 21), null), new Role("Negotiator", null, null, new DateOnly(2021, 9, 1))],
            WikidataId = "Q4663946",
            Description = "Iranian diplomat",
        };

        var created = await Store.Speakers.CreateSpeakerAsync(speaker, null, TestAudit, Ct);

        AssertSameContent(speaker with { CreateTime = StoredNow(), UpdateTime = StoredNow(), Version = 1 }, created);
        AssertSameContent(created, await Store.Speakers.GetSpeakerAsync(speaker.Id, Ct));
        AssertSameContent(created, Assert.Single(await Store.Speakers.GetSpeakersAsync([speaker.Id], Ct)));
        AssertSameContent(created, Assert.Single(await Store.Speakers.ListSpeakersAsync(0, 10, Ct)).Item);
    }

    [Fact(Timeout = TestTimeouts.Store)]
    public async Task A_speaker_without_optional_fields_reads_back_with_nulls_and_empty_lists()
    {
        var speaker = new Speaker { Id = ResourceNames.NewId(), DisplayName = "White Helmets", Kind = SpeakerKind.Organization };

        await CreateAsync(speaker);

        var read = await Store.Speakers.GetSpeakerAsync(speaker.Id, Ct);
        AssertSameContent(speaker with { CreateTime = StoredNow(), UpdateTime = StoredNow(), Version = 1 }, read);
        Assert.Null(read!.WikidataId);
        Assert.Null(read.Description);
        Assert.Empty(read.Aliases);
        Assert.Empty(read.Roles);
    }

    [Fact(Timeout = TestTimeouts.Store)]
    public async Task Getting_a_speaker_that_does_not_exist_returns_null()
    {
        Assert.Null(await Store.Speakers.GetSpeakerAsync(ResourceNames.NewId(), Ct));
    }

    [Fact(Timeout = TestTimeouts.Store)]
    public async Task Getting_many_speakers_returns_only_those_that_exist()
    {
        var a = await CreateAsync(NewSpeaker("Ada Lovelace"));
        var b = await CreateAsync(NewSpeaker("Charles Babbage"));
        await CreateAsync(NewSpeaker("Alan Turing"));

        var found = await Store.Speakers.GetSpeakersAsync([b.Id, ResourceNames.NewId(), a.Id], Ct);

        Assert.Equal(new[] { a.Id, b.Id }.Order(), found.Select(s => s.Id).Order());
        Assert.Empty(await Store.Speakers.GetSpeakersAsync([], Ct));
    }

    [Fact(Timeout = TestTimeouts.Store)]
    public async Task Speakers_are_listed_in_creation_order_after_the_given_sequence()
    {
        var created = new List<Speaker>();
        foreach (var name in new[] { "Zeta Person", "Alpha Person", "Mid Person", "Beta Person", "Omega Person" })
            created.Add(await CreateAsync(NewSpeaker(name)));

        var first = await Store.Speakers.ListSpeakersAsync(0, 2, Ct);
        var rest = await Store.Speakers.ListSpeakersAsync(first[^1].Sequence, 10, Ct);

        Assert.Equal(created.Select(s => s.Id), first.Concat(rest).Select(s => s.Item.Id));
        Assert.Equal(2, first.Count);
        Assert.True(first[0].Sequence < first[1].Sequence);
        Assert.Empty(await Store.Speakers.ListSpeakersAsync(rest[^1].Sequence, 10, Ct));
    }

    [Fact(Timeout = TestTimeouts.Store)]
    public async Task Creating_a_speaker_with_a_taken_wikidata_id_fails_naming_the_speaker_that_has_it()
    {
        var holder = await CreateAsync(NewSpeaker("Vladimir Putin") with { WikidataId = "Q7747" });
        var duplicate = NewSpeaker("V. Putin") with { WikidataId = "Q7747" };

        var error = await Assert.ThrowsAsync<AlreadyExistsException>(() => Store.Speakers.CreateSpeakerAsync(duplicate, null, TestAudit, Ct));

        Assert.Equal(holder.ResourceName, error.ResourceName);
        Assert.Null(await Store.Speakers.GetSpeakerAsync(duplicate.Id, Ct));
    }

    [Fact(Timeout = TestTimeouts.Store)]
    public async Task Updating_a_speaker_to_a_wikidata_id_another_speaker_has_fails()
    {
        var holder = await CreateAsync(NewSpeaker("Vladimir Putin") with { WikidataId = "Q7747" });
        var other = await CreateAsync(NewSpeaker("Dmitry Peskov"));

        var error = await Assert.ThrowsAsync<AlreadyExistsException>(
            () => Store.Speakers.UpdateSpeakerAsync(other with { WikidataId = "Q7747" }, other.Version, TestAudit, Ct));

        Assert.Equal(holder.ResourceName, error.ResourceName);
        Assert.Null((await Store.Speakers.GetSpeakerAsync(other.Id, Ct))!.WikidataId);
        // Keeping one's own id is no conflict.
        await Store.Speakers.UpdateSpeakerAsync(holder with { Description = "President of Russia" }, holder.Version, TestAudit, Ct);
    }

    [Fact(Timeout = TestTimeouts.Store)]
    public async Task Retrying_a_speaker_create_returns_what_the_first_request_created_as_it_is_now()
    {
        var key = new IdempotencyKey("request-1", "fingerprint-1");
        var first = await Store.Speakers.CreateSpeakerAsync(NewSpeaker("Olaf Scholz") with { WikidataId = "Q61053" }, key, TestAudit, Ct);
        Clock.Advance(TimeSpan.FromMinutes(1));
        var updated = await Store.Speakers.UpdateSpeakerAsync(first with { Description = "former chancellor" }, first.Version, TestAudit, Ct);

        // A retry carries the same request but, if the server generates ids, not the same new id.
        var retried = await Store.Speakers.CreateSpeakerAsync(NewSpeaker("Olaf Scholz") with { WikidataId = "Q61053" }, key, TestAudit, Ct);

        AssertSameContent(updated, retried);
        Assert.Single(await Store.Speakers.ListSpeakersAsync(0, 10, Ct));
    }

    [Fact(Timeout = TestTimeouts.Store)]
    public async Task Reusing_a_request_id_for_a_different_speaker_fails_naming_what_it_created()
    {
        var first = await Store.Speakers.CreateSpeakerAsync(NewSpeaker("Olaf Scholz"), new IdempotencyKey("request-1", "fingerprint-1"), TestAudit, Ct);

        var error = await Assert.ThrowsAsync<AlreadyExistsException>(() =>
            Store.Speakers.CreateSpeakerAsync(NewSpeaker("Friedrich Merz"), new IdempotencyKey("request-1", "fingerprint-2"), TestAudit, Ct));

        Assert.Equal(first.ResourceName, error.ResourceName);
        Assert.Single(await Store.Speakers.ListSpeakersAsync(0, 10, Ct));
    }

    [Fact(Timeout = TestTimeouts.Store)]
    public async Task Reusing_a_speaker_request_id_for_a_claim_fails()
    {
        var key = new IdempotencyKey("request-1", "same-fingerprint");
        var speaker = await Store.Speakers.CreateSpeakerAsync(NewSpeaker("Olaf Scholz"), key, TestAudit, Ct);

        var error = await Assert.ThrowsAsync<AlreadyExistsException>(() => Store.Claims.CreateClaimAsync(NewClaim("Hello."), key, TestAudit, Ct));

        Assert.Equal(speaker.ResourceName, error.ResourceName);
        Assert.Empty(await ListAsync(new ClaimFilter()));
    }

    [Fact(Timeout = TestTimeouts.Store)]
    public async Task Updating_a_speaker_replaces_it_bumps_the_version_and_keeps_the_create_time()
    {
        var created = await CreateAsync(NewSpeaker("Kaja Kallas") with { Aliases = ["Kallas"], Description = "PM" });
        Clock.Advance(TimeSpan.FromHours(2));
        var changed = created with { DisplayName = "Kaja Kallas (EU)", Aliases = [], Description = null, Kind = SpeakerKind.Person };

        var updated = await Store.Speakers.UpdateSpeakerAsync(changed with { CreateTime = Start.AddYears(-1) }, 1, TestAudit, Ct);

        AssertSameContent(changed with { Version = 2, UpdateTime = StoredNow() }, updated);
        AssertSameContent(updated, await Store.Speakers.GetSpeakerAsync(created.Id, Ct));
    }

    [Fact(Timeout = TestTimeouts.Store)]
    public async Task Updating_a_speaker_at_a_stale_version_is_a_conflict_and_changes_nothing()
    {
        var created = await CreateAsync(NewSpeaker("Kaja Kallas"));
        await Store.Speakers.UpdateSpeakerAsync(created with { Description = "first" }, 1, TestAudit, Ct);

        var error = await Assert.ThrowsAsync<VersionConflictException>(
            () => Store.Speakers.UpdateSpeakerAsync(created with { Description = "second" }, 1, TestAudit, Ct));

        Assert.Equal(created.ResourceName, error.ResourceName);
        var stored = await Store.Speakers.GetSpeakerAsync(created.Id, Ct);
        Assert.Equal(("first", 2L), (stored!.Description, stored.Version));
    }

    [Fact(Timeout = TestTimeouts.Store)]
    public async Task Updating_a_speaker_that_does_not_exist_is_not_found()
    {
        var ghost = NewSpeaker("Nobody");

        var error = await Assert.ThrowsAsync<NotFoundException>(() => Store.Speakers.UpdateSpeakerAsync(ghost, 1, TestAudit, Ct));

        Assert.Equal(ghost.ResourceName, error.ResourceName);
    }

    [Fact(Timeout = TestTimeouts.Store)]
    public async Task Speakers_are_found_by_any_of_their_name_keys_once_each_up_to_the_limit()
    {
        var merkel = await CreateAsync(NewSpeaker("Angela Merkel") with { Aliases = ["Mutti"] });
        var rayner = await CreateAsync(NewSpeaker("Angela Rayner"));
        await CreateAsync(NewSpeaker("Olaf Scholz"));

        Assert.Equal([merkel.Id], await FindByNameAsync("Merkel", 10));
        Assert.Equal([merkel.Id], await FindByNameAsync("Mutti", 10));
        Assert.Equal(new[] { merkel.Id, rayner.Id }.Order(), (await FindByNameAsync("Angela", 10)).Order());
        Assert.Single(await FindByNameAsync("Angela", 1));
        Assert.Empty(await FindByNameAsync("Zelensky", 10));
        Assert.Empty(await Store.Speakers.FindSpeakerIdsByNameKeysAsync([], 10, Ct));
    }

    [Fact(Timeout = TestTimeouts.Store)]
    public async Task Name_keys_follow_a_speaker_update()
    {
        var speaker = await CreateAsync(NewSpeaker("Angela Merkel"));

        await Store.Speakers.UpdateSpeakerAsync(speaker with { DisplayName = "Angela Kasner" }, speaker.Version, TestAudit, Ct);

        Assert.Empty(await FindByNameAsync("Merkel", 10));
        Assert.Equal([speaker.Id], await FindByNameAsync("Kasner", 10));
    }

    // ---- Claims: create, get, update, delete ----

    [Fact(Timeout = TestTimeouts.Store)]
    public async Task A_created_claim_is_stored_at_version_one_and_reads_back_unchanged_with_its_appearances()
    {
        var speaker = await CreateAsync(NewSpeaker("Dmitry Peskov"));
        var claim = NewClaim("Talks will resume next week.", speaker.Id, new DateOnly(2024, 12, 3)) with
        {
            AttributedTo = "Kremlin spokesman Dmitry Peskov",
            Kind = AttributionKind.Paraphrase,
            Context = "press briefing",
            LanguageCode = "ru",
            AttributionConfidence = 0.1 + 0.2, // not exactly representable in decimal: must survive as the same double
            Status = VerificationStatus.Disputed,
            Appearances =
            [
                new Appearance
                {
                    Url = "https://example.org/talks", Publication = "Dawn", Title = "Talks to resume",
                    PublishTime = new DateTimeOffset(2024, 12, 3, 18, 5, 1, TimeSpan.Zero).AddTicks(1230),
                    CreditedOutlets = ["Reuters", "AFP"], QuotedSentence = "Talks will resume, Peskov said.",
                },
                NewAppearance("TASS"),
            ],
        };

        var created = await CreateAsync(claim);

        AssertSameContent(claim with { CreateTime = StoredNow(), UpdateTime = StoredNow(), Version = 1 }, created);
        AssertSameContent(created, await Store.Claims.GetClaimAsync(claim.Id, Ct));
        AssertSameContent(created, Assert.Single(await Store.Claims.GetClaimsAsync([claim.Id], Ct)));
        AssertSameContent(created, Assert.Single(await ListAsync(new ClaimFilter())).Item);
        AssertSameContent(created, Assert.Single(await Store.Search.SearchClaimsAsync(["talks"], null, 0, 10, Ct)).Claim);
    }

    [Fact(Timeout = TestTimeouts.Store)]
    public async Task A_claim_without_optional_fields_reads_back_with_nulls_and_empty_lists()
    {
        var claim = new Claim { Id = ResourceNames.NewId(), Text = "Someone said something.", LanguageCode = "en" };

        await CreateAsync(claim);

        var read = await Store.Claims.GetClaimAsync(claim.Id, Ct);
        AssertSameContent(claim with { CreateTime = StoredNow(), UpdateTime = StoredNow(), Version = 1 }, read);
        Assert.Null(read!.SpeakerId);
        Assert.Null(read.AttributedTo);
        Assert.Null(read.SaidOn);
        Assert.Null(read.Context);
        Assert.Empty(read.Appearances);
    }

    [Fact(Timeout = TestTimeouts.Store)]
    public async Task A_create_returns_publish_times_exactly_as_a_later_read_does()
    {
        var claim = NewClaim("Precise.") with { Appearances = [NewAppearance("Dawn", Start.AddTicks(3))] };

        var created = await CreateAsync(claim);

        var read = await Store.Claims.GetClaimAsync(claim.Id, Ct);
        Assert.Equal(created.Appearances[0].PublishTime, read!.Appearances[0].PublishTime);
        Assert.InRange(read.Appearances[0].PublishTime!.Value - Start.AddTicks(3), TimeSpan.FromMicroseconds(-1), TimeSpan.FromMicroseconds(1));
    }

    [Fact(Timeout = TestTimeouts.Store)]
    public async Task Creating_a_claim_for_a_speaker_that_does_not_exist_is_not_found_and_stores_nothing()
    {
        var missingSpeakerId = ResourceNames.NewId();

        var error = await Assert.ThrowsAsync<NotFoundException>(() => CreateAsync(NewClaim("Orphan.", missingSpeakerId)));

        Assert.Equal(ResourceNames.Speaker(missingSpeakerId), error.ResourceName);
        Assert.Empty(await ListAsync(new ClaimFilter()));
    }

    [Fact(Timeout = TestTimeouts.Store)]
    public async Task Retrying_a_claim_create_returns_the_first_claim_and_a_different_request_fails()
    {
        var key = new IdempotencyKey("request-7", "fingerprint-7");
        var first = await Store.Claims.CreateClaimAsync(NewClaim("Once."), key, TestAudit, Ct);

        var retried = await Store.Claims.CreateClaimAsync(NewClaim("Once."), key, TestAudit, Ct);
        var error = await Assert.ThrowsAsync<AlreadyExistsException>(
            () => Store.Claims.CreateClaimAsync(NewClaim("Twice."), key with { Fingerprint = "fingerprint-8" }, TestAudit, Ct));

        AssertSameContent(first, retried);
        Assert.Equal(first.ResourceName, error.ResourceName);
        Assert.Single(await ListAsync(new ClaimFilter()));
    }

    [Fact(Timeout = TestTimeouts.Store)]
    public async Task Retrying_a_claim_create_after_the_claim_was_deleted_returns_it_rather_than_creating_it_again()
    {
        var key = new IdempotencyKey("request-7", "fingerprint-7");
        var first = await Store.Claims.CreateClaimAsync(NewClaim("Once."), key, TestAudit, Ct);
        await Store.Claims.DeleteClaimAsync(first.Id, first.Version, Start, TestAudit, Ct);

        var retried = await Store.Claims.CreateClaimAsync(NewClaim("Once."), key, TestAudit, Ct);

        Assert.Equal((first.Id, 2L), (retried.Id, retried.Version));
        Assert.Empty(await ListAsync(new ClaimFilter()));
    }

    [Fact(Timeout = TestTimeouts.Store)]
    public async Task Getting_many_claims_returns_only_existing_claims_that_are_not_deleted()
    {
        var kept = await CreateAsync(NewClaim("Kept."));
        var deleted = await CreateAsync(NewClaim("Deleted."));
        await Store.Claims.DeleteClaimAsync(deleted.Id, deleted.Version, Start, TestAudit, Ct);

        var found = await Store.Claims.GetClaimsAsync([deleted.Id, ResourceNames.NewId(), kept.Id], Ct);

        Assert.Equal([kept.Id], found.Select(c => c.Id));
        Assert.Empty(await Store.Claims.GetClaimsAsync([], Ct));
    }

    [Fact(Timeout = TestTimeouts.Store)]
    public async Task Updating_a_claim_replaces_it_and_its_appearances_and_reindexes_it()
    {
        var speaker = await CreateAsync(NewSpeaker("Dmitry Peskov"));
        var other = await CreateAsync(NewSpeaker("Maria Zakharova"));
        var created = await CreateAsync(NewClaim("Sanctions are illegal.", speaker.Id, new DateOnly(2024, 1, 1)) with
        {
            Appearances = [NewAppearance("Dawn"), NewAppearance("TASS")],
        });
        var newer = await CreateAsync(NewClaim("Newer claim.", speaker.Id, new DateOnly(2024, 6, 1)));
        Clock.Advance(TimeSpan.FromDays(1));
        var changed = created with
        {
            Text = "Negotiations are possible.",
            SpeakerId = other.Id,
            SaidOn = null, // the sort day now comes from the first publication
            Appearances = [NewAppearance("Reuters", new DateTimeOffset(2024, 9, 1, 12, 0, 0, TimeSpan.Zero))],
            Status = VerificationStatus.Verified,
        };

        var updated = await Store.Claims.UpdateClaimAsync(changed with { CreateTime = Start.AddYears(-3) }, 1, TestAudit, Ct);

        AssertSameContent(changed with { Version = 2, UpdateTime = StoredNow() }, updated);
        AssertSameContent(updated, await Store.Claims.GetClaimAsync(created.Id, Ct));
        Assert.Empty(await SearchAsync("sanctions"));
        Assert.Equal([created.Id], await SearchAsync("negotiations"));
        Assert.Empty(await ListIdsAsync(new ClaimFilter { Publication = "Dawn" }));
        Assert.Equal([created.Id, newer.Id], await ListIdsAsync(new ClaimFilter()));
        Assert.Equal([newer.Id], await ListIdsAsync(new ClaimFilter { SpeakerId = speaker.Id }));
    }

    [Fact(Timeout = TestTimeouts.Store)]
    public async Task Updating_a_claim_at_a_stale_version_is_a_conflict_and_changes_nothing()
    {
        var created = await CreateAsync(NewClaim("Original."));
        await Store.Claims.UpdateClaimAsync(created with { Text = "First edit." }, 1, TestAudit, Ct);

        var error = await Assert.ThrowsAsync<VersionConflictException>(
            () => Store.Claims.UpdateClaimAsync(created with { Text = "Second edit." }, 1, TestAudit, Ct));

        Assert.Equal(created.ResourceName, error.ResourceName);
        var stored = await Store.Claims.GetClaimAsync(created.Id, Ct);
        Assert.Equal(("First edit.", 2L), (stored!.Text, stored.Version));
    }

    [Fact(Timeout = TestTimeouts.Store)]
    public async Task Updating_a_claim_that_does_not_exist_or_was_deleted_is_not_found()
    {
        var ghost = NewClaim("Never stored.");
        var deleted = await CreateAsync(NewClaim("Deleted."));
        await Store.Claims.DeleteClaimAsync(deleted.Id, 1, Start, TestAudit, Ct);

        var missing = await Assert.ThrowsAsync<NotFoundException>(() => Store.Claims.UpdateClaimAsync(ghost, 1, TestAudit, Ct));
        var gone = await Assert.ThrowsAsync<NotFoundException>(() => Store.Claims.UpdateClaimAsync(deleted with { Text = "Back." }, 2, TestAudit, Ct));

        Assert.Equal(ghost.ResourceName, missing.ResourceName);
        Assert.Equal(deleted.ResourceName, gone.ResourceName);
    }

    [Fact(Timeout = TestTimeouts.Store)]
    public async Task Updating_a_claim_to_a_speaker_that_does_not_exist_is_not_found()
    {
        var created = await CreateAsync(NewClaim("Original."));
        var missingSpeakerId = ResourceNames.NewId();

        var error = await Assert.ThrowsAsync<NotFoundException>(
            () => Store.Claims.UpdateClaimAsync(created with { SpeakerId = missingSpeakerId }, 1, TestAudit, Ct));

        Assert.Equal(ResourceNames.Speaker(missingSpeakerId), error.ResourceName);
        Assert.Equal(1, (await Store.Claims.GetClaimAsync(created.Id, Ct))!.Version);
    }

    [Fact(Timeout = TestTimeouts.Store)]
    public async Task A_deleted_claim_is_hidden_from_get_list_and_search()
    {
        var speaker = await CreateAsync(NewSpeaker("Dmitry Peskov"));
        var kept = await CreateAsync(NewClaim("Sanctions will fail.", speaker.Id) with { Appearances = [NewAppearance("Dawn")] });
        var deleted = await CreateAsync(NewClaim("Sanctions will work.", speaker.Id) with { Appearances = [NewAppearance("Dawn")] });

        await Store.Claims.DeleteClaimAsync(deleted.Id, deleted.Version, Start, TestAudit, Ct);

        Assert.Null(await Store.Claims.GetClaimAsync(deleted.Id, Ct));
        Assert.Equal([kept.Id], await ListIdsAsync(new ClaimFilter()));
        Assert.Equal([kept.Id], await ListIdsAsync(new ClaimFilter { SpeakerId = speaker.Id, Publication = "dawn" }));
        Assert.Equal([kept.Id], await SearchAsync("sanctions"));
        Assert.Empty(await SearchAsync("work"));
    }

    [Fact(Timeout = TestTimeouts.Store)]
    public async Task Deleting_a_claim_at_a_stale_version_is_a_conflict_and_keeps_the_claim()
    {
        var created = await CreateAsync(NewClaim("Still here."));
        await Store.Claims.UpdateClaimAsync(created with { Text = "Still here, edited." }, 1, TestAudit, Ct);

        var error = await Assert.ThrowsAsync<VersionConflictException>(() => Store.Claims.DeleteClaimAsync(created.Id, 1, Start, TestAudit, Ct));

        Assert.Equal(created.ResourceName, error.ResourceName);
        Assert.NotNull(await Store.Claims.GetClaimAsync(created.Id, Ct));
    }

    [Fact(Timeout = TestTimeouts.Store)]
    public async Task Deleting_a_claim_that_does_not_exist_or_is_already_deleted_is_not_found()
    {
        var created = await CreateAsync(NewClaim("Short-lived."));
        await Store.Claims.DeleteClaimAsync(created.Id, 1, Start, TestAudit, Ct);

        await Assert.ThrowsAsync<NotFoundException>(() => Store.Claims.DeleteClaimAsync(created.Id, 2, Start, TestAudit, Ct));
        await Assert.ThrowsAsync<NotFoundException>(() => Store.Claims.DeleteClaimAsync(ResourceNames.NewId(), 1, Start, TestAudit, Ct));
    }

    // ---- Claims: listing ----

    [Fact(Timeout = TestTimeouts.Store)]
    public async Task Claims_are_listed_newest_first_by_said_day_else_first_publication_day_else_record_day_then_newest_created()
    {
        var saidInMay = await CreateAsync(NewClaim("Said in May.", saidOn: new DateOnly(2024, 5, 1)));
        var publishedInApril = await CreateAsync(NewClaim("Published in April.") with
        {
            Appearances =
            [
                NewAppearance("Dawn", new DateTimeOffset(2024, 6, 2, 8, 0, 0, TimeSpan.Zero)),
                NewAppearance("Reuters", new DateTimeOffset(2024, 4, 1, 23, 30, 0, TimeSpan.Zero)),
                NewAppearance("Undated"),
            ],
        });
        var undated = await CreateAsync(NewClaim("Recorded today, no dates."));
        var alsoSaidInMay = await CreateAsync(NewClaim("Also said in May.", saidOn: new DateOnly(2024, 5, 1)));

        var listed = await ListAsync(new ClaimFilter());

        Assert.Equal([undated.Id, alsoSaidInMay.Id, saidInMay.Id, publishedInApril.Id], listed.Select(c => c.Item.Id));
        Assert.Equal([StartDay, new(2024, 5, 1), new(2024, 5, 1), new(2024, 4, 1)], listed.Select(c => c.Item.SortDay));
        Assert.True(listed[1].Sequence > listed[2].Sequence, "a later claim has a higher sequence");
    }

    [Fact(Timeout = TestTimeouts.Store)]
    public async Task Listing_applies_each_filter_and_keeps_the_newest_first_order()
    {
        var a = await CreateAsync(NewSpeaker("Speaker A"));
        var b = await CreateAsync(NewSpeaker("Speaker B"));
        var c1 = await CreateAsync(NewClaim("One.", a.Id, new DateOnly(2024, 1, 10)) with
        {
            Status = VerificationStatus.Verified,
            Kind = AttributionKind.DirectQuote,
            Appearances = [NewAppearance("Dawn")],
        });
        var c2 = await CreateAsync(NewClaim("Two.", a.Id, new DateOnly(2024, 2, 1)) with
        {
            Status = VerificationStatus.Disputed,
            Kind = AttributionKind.Paraphrase,
            Appearances = [NewAppearance("The Guardian")],
        });
        var c3 = await CreateAsync(NewClaim("Three.", b.Id) with
        {
            Status = VerificationStatus.Unverified,
            Kind = AttributionKind.DirectQuote,
            Appearances = [NewAppearance("DAWN", new DateTimeOffset(2024, 3, 5, 23, 30, 0, TimeSpan.Zero))],
        });
        var c4 = await CreateAsync(NewClaim("Four.", saidOn: new DateOnly(2024, 1, 20)) with
        {
            Status = VerificationStatus.Verified,
            Kind = AttributionKind.UnnamedSource,
            Appearances = [NewAppearance("Reuters"), NewAppearance("dawn")],
        });

        Assert.Equal([c3.Id, c2.Id, c4.Id, c1.Id], await ListIdsAsync(new ClaimFilter()));
        Assert.Equal([c2.Id, c1.Id], await ListIdsAsync(new ClaimFilter { SpeakerId = a.Id }));
        Assert.Empty(await ListIdsAsync(new ClaimFilter { SpeakerId = ResourceNames.NewId() }));
        Assert.Equal([c3.Id, c4.Id, c1.Id], await ListIdsAsync(new ClaimFilter { Publication = "Dawn" }));
        Assert.Equal([c2.Id], await ListIdsAsync(new ClaimFilter { Publication = "the guardian" }));
        Assert.Empty(await ListIdsAsync(new ClaimFilter { Publication = "Guardian" }));
        // A said-on range leaves out claims with no said-on date; both ends are inclusive.
        Assert.Equal([c2.Id, c4.Id], await ListIdsAsync(new ClaimFilter { SaidOnOrAfter = new(2024, 1, 20) }));
        Assert.Equal([c4.Id, c1.Id], await ListIdsAsync(new ClaimFilter { SaidOnOrBefore = new(2024, 1, 20) }));
        Assert.Equal([c4.Id], await ListIdsAsync(new ClaimFilter { SaidOnOrAfter = new(2024, 1, 11), SaidOnOrBefore = new(2024, 1, 31) }));
        Assert.Equal([c4.Id, c1.Id], await ListIdsAsync(new ClaimFilter { Status = VerificationStatus.Verified }));
        Assert.Equal([c3.Id, c1.Id], await ListIdsAsync(new ClaimFilter { Kind = AttributionKind.DirectQuote }));
        Assert.Equal([c1.Id], await ListIdsAsync(new ClaimFilter { SpeakerId = a.Id, Status = VerificationStatus.Verified, Publication = "dawn" }));
    }

    [Fact(Timeout = TestTimeouts.Store)]
    public async Task Listing_after_a_cursor_continues_strictly_after_it_with_filters()
    {
        var a = await CreateAsync(NewSpeaker("Speaker A"));
        var day = new DateOnly(2024, 5, 1);
        var older = await CreateAsync(NewClaim("Older.", a.Id, day.AddDays(-1)) with { Appearances = [NewAppearance("Dawn")] });
        var first = await CreateAsync(NewClaim("First.", a.Id, day) with { Appearances = [NewAppearance("Dawn")] });
        await CreateAsync(NewClaim("Other speaker.", null, day) with { Appearances = [NewAppearance("Dawn")] });
        var second = await CreateAsync(NewClaim("Second.", a.Id, day) with { Appearances = [NewAppearance("Dawn")] });

        var page = await ListAsync(new ClaimFilter { SpeakerId = a.Id, Publication = "dawn" }, limit: 1);
        var next = await ListAsync(new ClaimFilter { SpeakerId = a.Id, Publication = "dawn" }, new ClaimCursor(day, page[0].Sequence));

        Assert.Equal([second.Id], page.Select(c => c.Item.Id));
        Assert.Equal([first.Id, older.Id], next.Select(c => c.Item.Id));
    }

    [Theory(Timeout = TestTimeouts.Store)]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Paging_through_300_claims_with_cursors_returns_each_claim_once_in_order(bool bySpeaker)
    {
        var speaker = await CreateAsync(NewSpeaker("Prolific Speaker"));
        var created = new List<Claim>();
        for (var i = 0; i < 300; i++)
        {
            // Only 10 distinct days, so most page boundaries fall inside a day and the sequence must break the tie.
            var saidOn = i % 3 == 0 ? (DateOnly?)null : new DateOnly(2024, 1, 1).AddDays(i * 7 % 10);
            created.Add(await CreateAsync(NewClaim($"Claim number {i}.", i % 2 == 0 ? speaker.Id : null, saidOn)));
        }
        var filter = bySpeaker ? new ClaimFilter { SpeakerId = speaker.Id } : new ClaimFilter();
        var expected = created
            .Select((claim, index) => (claim, index))
            .Where(x => !bySpeaker || x.claim.SpeakerId == speaker.Id)
            .OrderByDescending(x => x.claim.SortDay).ThenByDescending(x => x.index)
            .Select(x => x.claim.Id);

        var listed = new List<string>();
        ClaimCursor? cursor = null;
        while (true)
        {
            var page = await ListAsync(filter, cursor, limit: 7);
            listed.AddRange(page.Select(c => c.Item.Id));
            if (page.Count < 7) break;
            cursor = new ClaimCursor(page[^1].Item.SortDay, page[^1].Sequence);
        }

        Assert.Equal(expected, listed);
    }

    // ---- Claims: search ----

    [Fact(Timeout = TestTimeouts.Store)]
    public async Task Search_requires_every_term()
    {
        var both = await CreateAsync(NewClaim("The tax cuts will pay for themselves."));
        await CreateAsync(NewClaim("We will not raise any tax."));
        await CreateAsync(NewClaim("Budget cuts are unavoidable."));

        Assert.Equal([both.Id], await SearchAsync("tax", "cuts"));
        Assert.Equal(2, (await SearchAsync("cuts")).Count);
        Assert.Empty(await SearchAsync("tax", "cuts", "housing"));
    }

    [Fact(Timeout = TestTimeouts.Store)]
    public async Task Search_ranks_better_matches_first_with_decreasing_relevance()
    {
        var passing = await CreateAsync(NewClaim("The report covered many topics, among them housing, energy, jobs and, in passing, inflation."));
        var focused = await CreateAsync(NewClaim("Inflation, inflation, inflation."));
        await CreateAsync(NewClaim("Unrelated words only."));

        var results = await Store.Search.SearchClaimsAsync(["inflation"], null, 0, 10, Ct);

        Assert.Equal([focused.Id, passing.Id], results.Select(r => r.Claim.Id));
        Assert.True(results[0].Relevance > results[1].Relevance, $"{results[0].Relevance} should exceed {results[1].Relevance}");
    }

    [Fact(Timeout = TestTimeouts.Store)]
    public async Task Search_ignores_case_and_diacritics_in_the_claim_text()
    {
        var claim = await CreateAsync(NewClaim("Le CAFÉ de la Paix est fermé."));

        Assert.Equal([claim.Id], await SearchAsync("cafe", "ferme"));
    }

    [Fact(Timeout = TestTimeouts.Store)]
    public async Task Search_treats_quotes_and_operators_in_terms_as_text()
    {
        var claim = await CreateAsync(NewClaim("Tax cuts now."));

        Assert.Equal([claim.Id], await SearchAsync("\"tax", "cuts*"));
        Assert.Empty(await SearchAsync("tax", "NOT"));
    }

    [Fact(Timeout = TestTimeouts.Store)]
    public async Task Search_can_be_limited_to_one_speaker()
    {
        var a = await CreateAsync(NewSpeaker("Speaker A"));
        var b = await CreateAsync(NewSpeaker("Speaker B"));
        var fromA = await CreateAsync(NewClaim("Ceasefire talks failed.", a.Id));
        await CreateAsync(NewClaim("Ceasefire talks succeeded.", b.Id));
        await CreateAsync(NewClaim("Ceasefire talks resumed."));

        var results = await Store.Search.SearchClaimsAsync(["ceasefire"], a.Id, 0, 10, Ct);

        Assert.Equal([fromA.Id], results.Select(r => r.Claim.Id));
    }

    [Fact(Timeout = TestTimeouts.Store)]
    public async Task Search_pages_with_offset_and_limit_through_the_same_ranking()
    {
        for (var i = 1; i <= 6; i++)
            await CreateAsync(NewClaim(string.Join(' ', Enumerable.Repeat("drought", i)) + " " + string.Join(' ', Enumerable.Repeat("filler", 12 - i))));
        var all = await Store.Search.SearchClaimsAsync(["drought"], null, 0, 10, Ct);

        var page = await Store.Search.SearchClaimsAsync(["drought"], null, 2, 3, Ct);

        Assert.Equal(6, all.Count);
        Assert.Equal(all.Skip(2).Take(3).Select(r => r.Claim.Id), page.Select(r => r.Claim.Id));
    }

    // ---- Installation ----

    [Fact(Timeout = TestTimeouts.Store)]
    public async Task The_installation_secret_is_32_random_bytes_that_stay_the_same_across_calls_and_restarts()
    {
        var first = await Store.Installation.GetInstallationSecretAsync(Ct);
        var kept = first.ToArray();
        first[0] ^= 0xFF; // a caller scribbling on the array it got must not change the secret

        var second = await Store.Installation.GetInstallationSecretAsync(Ct);
        await ReopenAsync();
        var afterRestart = await Store.Installation.GetInstallationSecretAsync(Ct);

        Assert.Equal(32, kept.Length);
        Assert.Contains(kept, b => b != 0);
        Assert.Equal(kept, second);
        Assert.Equal(kept, afterRestart);
    }

    // ---- Helpers ----

    /// <summary>The clock's time as a store keeps it: truncated to the microsecond.</summary>
    protected DateTimeOffset StoredNow()
    {
        var now = Clock.GetUtcNow();
        return now.AddTicks(-(now.UtcTicks % TimeSpan.TicksPerMicrosecond));
    }

    protected static Speaker NewSpeaker(string displayName) =>
        new() { Id = ResourceNames.NewId(), DisplayName = displayName, Kind = SpeakerKind.Person };

    protected static Claim NewClaim(string text, string? speakerId = null, DateOnly? saidOn = null) => new()
    {
        Id = ResourceNames.NewId(),
        Text = text,
        SpeakerId = speakerId,
        AttributedTo = speakerId is null ? "a government official" : null,
        SaidOn = saidOn,
        Kind = AttributionKind.DirectQuote,
        LanguageCode = "en",
        AttributionConfidence = 0.75,
    };

    protected static Appearance NewAppearance(string publication, DateTimeOffset? publishTime = null) =>
        new() { Url = $"https://example.org/{Guid.NewGuid():N}", Publication = publication, PublishTime = publishTime };

    protected Task<Speaker> CreateAsync(Speaker speaker) => Store.Speakers.CreateSpeakerAsync(speaker, null, TestAudit, Ct);

    protected Task<Claim> CreateAsync(Claim claim) => Store.Claims.CreateClaimAsync(claim, null, TestAudit, Ct);

    protected Task<IReadOnlyList<Sequenced<Claim>>> ListAsync(ClaimFilter filter, ClaimCursor? after = null, int limit = 100) =>
        Store.Claims.ListClaimsAsync(filter, after, limit, Ct);

    private async Task<List<string>> ListIdsAsync(ClaimFilter filter) => (await ListAsync(filter)).Select(c => c.Item.Id).ToList();

    private async Task<List<string>> SearchAsync(params string[] terms) =>
        (await Store.Search.SearchClaimsAsync(terms, null, 0, 100, Ct)).Select(r => r.Claim.Id).ToList();

    private async Task<IReadOnlyList<string>> FindByNameAsync(string query, int limit) =>
        await Store.Speakers.FindSpeakerIdsByNameKeysAsync(SpeakerNameKeys.ForQuery(query), limit, Ct);

    /// <summary>
    /// Field-by-field equality: the records hold lists, which record equality compares by reference. JSON shows
    /// every value (times with their offsets, doubles round-trippable) and gives a readable diff.
    /// </summary>
    protected static void AssertSameContent<T>(T expected, T actual) =>
        Assert.Equal(JsonSerializer.Serialize(expected, Indented), JsonSerializer.Serialize(actual, Indented));
}

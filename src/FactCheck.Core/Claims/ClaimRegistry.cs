using System.Buffers.Binary;
using System.Globalization;
using System.Text.RegularExpressions;
using FactCheck.Core.Speakers;
using FactCheck.Core.Verification;

namespace FactCheck.Core.Claims;

/// <summary>Use cases on claims: validated writes with optimistic concurrency, listing, search.</summary>
public sealed partial class ClaimRegistry(IClaimStore store, IClaimSearch search, ISpeakerStore speakers, PageTokens pageTokens, IDomainEvents events,
    TimeProvider clock)
{
    public async Task<Claim> CreateAsync(Claim draft, IdempotencyKey? idempotency, Actor actor, CancellationToken cancellationToken)
    {
        var claim = Normalize(draft with { Id = ResourceNames.NewId(clock), Version = 0 });
        await ValidateAsync(claim, "claim", cancellationToken);
        var created = await store.CreateClaimAsync(claim, idempotency, actor.For(AuditActions.ClaimCreate), cancellationToken);
        await events.PublishAsync(new ClaimChanged(null, created));
        return created;
    }

    /// <summary>
    /// Creates a batch of claims in one store transaction (all or none), each validated as <see cref="CreateAsync"/>
    /// would, fields named <c>claims[i].…</c>. Returns false, writing nothing, when <paramref name="idempotency"/>
    /// names a batch imported before.
    /// </summary>
    public async Task<bool> ImportAsync(IReadOnlyList<Claim> drafts, IdempotencyKey? idempotency, Actor actor, CancellationToken cancellationToken)
    {
        if (drafts.Count is 0 or > Limits.ImportBatch)
            throw new InvalidArgumentException("claims", $"a batch holds 1 to {Limits.ImportBatch} claims");
        var claims = drafts.Select(draft => Normalize(draft with { Id = ResourceNames.NewId(clock), Version = 0 })).ToList();
        var v = new ViolationCollector();
        for (var i = 0; i < claims.Count; i++) ValidateFields(v, claims[i], $"claims[{i}]");
        v.ThrowIfAny();
        // One look-up for the batch's speakers, not one per claim.
        var speakerIds = claims.Select(c => c.SpeakerId).OfType<string>().Distinct().ToList();
        var existing = (await speakers.GetSpeakersAsync(speakerIds, cancellationToken)).Select(s => s.Id).ToHashSet();
        for (var i = 0; i < claims.Count; i++)
            if (claims[i].SpeakerId is { } speakerId && !existing.Contains(speakerId))
                v.Add($"claims[{i}].speaker", $"{ResourceNames.Speaker(speakerId)} does not exist");
        v.ThrowIfAny();

        if (!await store.ImportClaimsAsync(claims, idempotency, actor.For(AuditActions.ClaimCreate), cancellationToken)) return false;
        await events.PublishAsync(claims.Select(c => new ClaimChanged(null, c)).ToList());
        return true;
    }

    public async Task<Claim> GetAsync(string id, CancellationToken cancellationToken) =>
        await store.GetClaimAsync(id, cancellationToken) ?? throw new NotFoundException(ResourceNames.Claim(id));

    /// <summary>All or nothing (AIP-231): any missing claim fails the batch with NOT_FOUND naming it.</summary>
    public async Task<IReadOnlyList<Claim>> BatchGetAsync(IReadOnlyList<string> ids, CancellationToken cancellationToken)
    {
        if (ids.Count > Limits.BatchGet) throw new InvalidArgumentException("names", $"at most {Limits.BatchGet} names per request");
        var found = (await store.GetClaimsAsync(ids.Distinct().ToList(), cancellationToken)).ToDictionary(c => c.Id);
        return ids.Select(id => found.TryGetValue(id, out var claim) ? claim : throw new NotFoundException(ResourceNames.Claim(id))).ToList();
    }

    public async Task<(IReadOnlyList<Claim> Claims, string NextPageToken)> ListAsync(
        ClaimFilter filter, int pageSize, string? pageToken, CancellationToken cancellationToken)
    {
        var v = new ViolationCollector();
        if (filter.SaidOnOrAfter > filter.SaidOnOrBefore) v.Add("said_on_or_before", "must not be before said_on_or_after");
        if (filter.Status is { } status && !Enum.IsDefined(status)) v.Add("verification_status", "unknown verification status");
        if (filter.Kind is { } kind && !Enum.IsDefined(kind)) v.Add("attribution_kind", "unknown attribution kind");
        v.MaxLength("publication", filter.Publication, Limits.NameLength);
        v.ThrowIfAny();
        var limit = PageSize.Resolve(pageSize);
        var query = Fingerprint(filter);
        ClaimCursor? after = null;
        if (!string.IsNullOrEmpty(pageToken))
        {
            var raw = await pageTokens.DecodeAsync(pageToken, query, 12, cancellationToken);
            after = new ClaimCursor(DateOnly.FromDayNumber(BinaryPrimitives.ReadInt32LittleEndian(raw)), BinaryPrimitives.ReadInt64LittleEndian(raw.AsSpan(4)));
        }
        var rows = await store.ListClaimsAsync(filter with { Publication = filter.Publication?.Trim() }, after, limit + 1, cancellationToken);
        var page = rows.Take(limit).ToList();
        var next = "";
        if (rows.Count > limit)
        {
            var cursor = new byte[12];
            BinaryPrimitives.WriteInt32LittleEndian(cursor, page[^1].Item.SortDay.DayNumber);
            BinaryPrimitives.WriteInt64LittleEndian(cursor.AsSpan(4), page[^1].Sequence);
            next = await pageTokens.EncodeAsync(query, cursor, cancellationToken);
        }
        return (page.Select(r => r.Item).ToList(), next);
    }

    public Task<Claim> UpdateAsync(string id, string? etag, Func<Claim, Claim> apply, Actor actor, CancellationToken cancellationToken) =>
        UpdateAsync(id, etag, apply, actor.For(AuditActions.ClaimUpdate), cancellationToken);

    private async Task<Claim> UpdateAsync(string id, string? etag, Func<Claim, Claim> apply, AuditContext audit, CancellationToken cancellationToken)
    {
        Claim? before = null; // the version the successful attempt replaced
        var updated = await OptimisticUpdate.RunAsync(
            ResourceNames.Claim(id), etag,
            () => store.GetClaimAsync(id, cancellationToken),
            c => c.Version,
            current =>
            {
                before = current;
                return Normalize(apply(current) with { Id = current.Id, CreateTime = current.CreateTime, Version = current.Version });
            },
            async (updated, version) =>
            {
                await ValidateAsync(updated, "claim", cancellationToken);
                return await store.UpdateClaimAsync(updated, version, audit, cancellationToken);
            });
        await events.PublishAsync(new ClaimChanged(before, updated));
        return updated;
    }

    public Task<Claim> AddAppearanceAsync(string id, Appearance appearance, Actor actor, CancellationToken cancellationToken)
    {
        // Checked on its own first so errors name the request's field, not its future index in the claim.
        var v = new ViolationCollector();
        ValidateAppearance(v, NormalizeAppearance(appearance), "appearance");
        v.ThrowIfAny();
        return UpdateAsync(id, etag: null, current =>
        {
            if (current.Appearances.Any(a => string.Equals(a.Url, appearance.Url.Trim(), StringComparison.OrdinalIgnoreCase)))
                throw new AlreadyExistsException(current.ResourceName, $"{current.ResourceName} already has an appearance at {appearance.Url}");
            return current with { Appearances = [.. current.Appearances, appearance] };
        }, actor.For(AuditActions.ClaimAddAppearance), cancellationToken);
    }

    public async Task DeleteAsync(string id, string? etag, Actor actor, CancellationToken cancellationToken)
    {
        var deleted = await OptimisticUpdate.RunAsync(
            ResourceNames.Claim(id), etag,
            () => store.GetClaimAsync(id, cancellationToken),
            c => c.Version,
            current => current,
            async (current, version) =>
            {
                await store.DeleteClaimAsync(current.Id, version, clock.GetUtcNow(), actor.For(AuditActions.ClaimDelete), cancellationToken);
                return current;
            });
        await events.PublishAsync(new ClaimChanged(deleted, deleted));
    }

    public async Task<(IReadOnlyList<ScoredClaim> Results, string NextPageToken)> SearchAsync(
        string query, string? speakerId, int pageSize, string? pageToken, CancellationToken cancellationToken)
    {
        var violations = new ViolationCollector();
        violations.Required("query", query, Limits.QueryLength);
        violations.ThrowIfAny();
        var terms = SearchTerms(query);
        if (terms.Count == 0) throw new InvalidArgumentException("query", "must contain at least one word");
        var limit = PageSize.Resolve(pageSize);
        var fingerprint = $"search\n{string.Join(' ', terms)}\n{speakerId}";
        var offset = 0;
        if (!string.IsNullOrEmpty(pageToken))
            offset = BinaryPrimitives.ReadInt32LittleEndian(await pageTokens.DecodeAsync(pageToken, fingerprint, 4, cancellationToken));
        var rows = await search.SearchClaimsAsync(terms, speakerId, offset, limit + 1, cancellationToken);
        var next = "";
        if (rows.Count > limit)
        {
            var cursor = new byte[4];
            BinaryPrimitives.WriteInt32LittleEndian(cursor, offset + limit);
            next = await pageTokens.EncodeAsync(fingerprint, cursor, cancellationToken);
        }
        return (rows.Take(limit).ToList(), next);
    }

    /// <summary>
    /// Words of a search query, lower-cased (the store's tokenizer folds diacritics itself), without function words
    /// ("the", "in") unless the query has nothing else: every result must contain every term, so they narrow
    /// nothing, and ranking costs a pass over each term's matches, which for "the" is nearly every claim.
    /// </summary>
    internal static IReadOnlyList<string> SearchTerms(string query)
    {
        var words = NonWordCharacters().Split(query)
            .Where(t => t.Length > 0)
            .Select(t => t.ToLowerInvariant())
            .Distinct()
            .ToList();
        var significant = words.Where(word => !QuoteText.IsFunctionWord(word)).ToList();
        return (significant.Count > 0 ? significant : words).Take(32).ToList();
    }

    private static string Fingerprint(ClaimFilter f) => string.Join('\n',
        "claims", f.SpeakerId, f.Publication?.Trim().ToLowerInvariant(), f.SaidOnOrAfter?.DayNumber, f.SaidOnOrBefore?.DayNumber, (int?)f.Status, (int?)f.Kind);

    private static Claim Normalize(Claim claim) => claim with
    {
        SpeakerId = NullIfBlank(claim.SpeakerId),
        AttributedTo = NullIfBlank(claim.AttributedTo),
        Text = claim.Text.Trim(),
        Context = NullIfBlank(claim.Context),
        LanguageCode = NormalizeLanguageTag(claim.LanguageCode.Trim()),
        Status = claim.Status == VerificationStatus.Unspecified ? VerificationStatus.Unverified : claim.Status,
        Appearances = claim.Appearances.Select(NormalizeAppearance).ToList(),
    };

    private static Appearance NormalizeAppearance(Appearance a) => a with
    {
        Url = a.Url.Trim(),
        Publication = a.Publication.Trim(),
        Title = NullIfBlank(a.Title),
        QuotedSentence = NullIfBlank(a.QuotedSentence),
        CreditedOutlets = a.CreditedOutlets.Select(o => o.Trim()).Where(o => o.Length > 0).Distinct(StringComparer.OrdinalIgnoreCase).ToList(),
    };

    private async Task ValidateAsync(Claim claim, string prefix, CancellationToken cancellationToken)
    {
        var v = new ViolationCollector();
        ValidateFields(v, claim, prefix);
        v.ThrowIfAny();

        if (claim.SpeakerId is not null && await speakers.GetSpeakerAsync(claim.SpeakerId, cancellationToken) is null)
            throw new InvalidArgumentException($"{prefix}.speaker", $"{ResourceNames.Speaker(claim.SpeakerId)} does not exist");
    }

    /// <summary>Everything but the speaker's existence, which needs the store.</summary>
    private void ValidateFields(ViolationCollector v, Claim claim, string prefix)
    {
        v.Required($"{prefix}.text", claim.Text, Limits.TextLength);
        if (claim.Kind == AttributionKind.Unspecified || !Enum.IsDefined(claim.Kind))
            v.Add($"{prefix}.attribution_kind", "required: DIRECT_QUOTE, PARAPHRASE, UNNAMED_SOURCE, INSTITUTIONAL or SECOND_HAND");
        if (claim.SpeakerId is null && claim.Kind != AttributionKind.UnnamedSource)
            v.Add($"{prefix}.speaker", "required unless attribution_kind is UNNAMED_SOURCE");
        if (claim.SpeakerId is null) v.Required($"{prefix}.attributed_to", claim.AttributedTo, Limits.AttributedToLength);
        else v.MaxLength($"{prefix}.attributed_to", claim.AttributedTo, Limits.AttributedToLength);
        if (double.IsNaN(claim.AttributionConfidence) || claim.AttributionConfidence is < 0 or > 1)
            v.Add($"{prefix}.attribution_confidence", "must be between 0 and 1");
        if (!Enum.IsDefined(claim.Status)) v.Add($"{prefix}.verification_status", "unknown verification status");
        v.LanguageTag($"{prefix}.language_code", claim.LanguageCode);
        v.MaxLength($"{prefix}.context", claim.Context, Limits.ContextLength);
        // A statement can't be said after today anywhere on Earth (UTC+14 is the furthest ahead).
        if (claim.SaidOn > DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime.AddHours(14)))
            v.Add($"{prefix}.said_on", "must not be in the future");
        if (claim.Appearances.Count == 0) v.Add($"{prefix}.appearances", "at least one appearance is required");
        if (v.MaxCount($"{prefix}.appearances", claim.Appearances, Limits.Appearances))
            for (var i = 0; i < claim.Appearances.Count; i++) ValidateAppearance(v, claim.Appearances[i], $"{prefix}.appearances[{i}]");
        var duplicateUrl = claim.Appearances.GroupBy(a => a.Url, StringComparer.OrdinalIgnoreCase).FirstOrDefault(g => g.Count() > 1);
        if (duplicateUrl is not null) v.Add($"{prefix}.appearances", $"{ResourceNames.Truncate(duplicateUrl.Key)} is listed more than once");
    }

    private static void ValidateAppearance(ViolationCollector v, Appearance a, string field)
    {
        v.HttpUrl($"{field}.url", a.Url);
        v.Required($"{field}.publication", a.Publication, Limits.NameLength);
        v.MaxLength($"{field}.title", a.Title, Limits.TitleLength);
        v.MaxLength($"{field}.quoted_sentence", a.QuotedSentence, Limits.TextLength);
        if (v.MaxCount($"{field}.credited_outlets", a.CreditedOutlets, Limits.CreditedOutlets))
            for (var j = 0; j < a.CreditedOutlets.Count; j++) v.MaxLength($"{field}.credited_outlets[{j}]", a.CreditedOutlets[j], Limits.NameLength);
    }

    /// <summary>Canonical BCP-47 casing: language lower, script title, region upper ("fa-ir" → "fa-IR").</summary>
    private static string NormalizeLanguageTag(string tag) => string.Join('-', tag.Split('-').Select((part, i) => i == 0 ? part.ToLowerInvariant()
        : part.Length == 4 && char.IsLetter(part[0]) ? CultureInfo.InvariantCulture.TextInfo.ToTitleCase(part.ToLowerInvariant())
        : part.Length is 2 or 3 && char.IsLetter(part[0]) ? part.ToUpperInvariant()
        : part.ToLowerInvariant()));

    private static string? NullIfBlank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    [GeneratedRegex(@"[^\p{L}\p{M}\p{N}]+")]
    private static partial Regex NonWordCharacters();
}

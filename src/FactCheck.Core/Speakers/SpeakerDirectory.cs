using System.Text.RegularExpressions;

namespace FactCheck.Core.Speakers;

/// <summary>Use cases on speakers: validated writes, paging, and resolution of free-text names.</summary>
public sealed partial class SpeakerDirectory(ISpeakerStore store, PageTokens pageTokens, IDomainEvents events, TimeProvider clock)
{
    public const int DefaultCandidates = 5;
    public const int MaxCandidates = 50;
    // Enough candidates from the key index to rank well; name keys are selective, so this is rarely reached.
    private const int CandidatePool = 200;

    public async Task<Speaker> CreateAsync(Speaker draft, IdempotencyKey? idempotency, Actor actor, CancellationToken cancellationToken)
    {
        var speaker = Normalize(draft with { Id = ResourceNames.NewId(clock), Version = 0 });
        Validate(speaker, "speaker");
        var created = await store.CreateSpeakerAsync(speaker, idempotency, actor.For(AuditActions.SpeakerCreate), cancellationToken);
        await events.PublishAsync(new SpeakerChanged(created.Id));
        return created;
    }

    public async Task<Speaker> GetAsync(string id, CancellationToken cancellationToken) =>
        await store.GetSpeakerAsync(id, cancellationToken) ?? throw new NotFoundException(ResourceNames.Speaker(id));

    /// <summary>The speakers that exist among <paramref name="ids"/>, in no particular order.</summary>
    public Task<IReadOnlyList<Speaker>> GetManyAsync(IReadOnlyCollection<string> ids, CancellationToken cancellationToken) =>
        ids.Count == 0 ? Task.FromResult<IReadOnlyList<Speaker>>([]) : store.GetSpeakersAsync(ids, cancellationToken);

    public async Task<(IReadOnlyList<Speaker> Speakers, string NextPageToken)> ListAsync(int pageSize, string? pageToken, CancellationToken cancellationToken)
    {
        const string query = "speakers";
        var limit = PageSize.Resolve(pageSize);
        var after = await pageTokens.DecodeSequenceAsync(pageToken, query, cancellationToken);
        var rows = await store.ListSpeakersAsync(after, limit + 1, cancellationToken);
        var page = rows.Take(limit).ToList();
        var next = rows.Count > limit ? await pageTokens.EncodeSequenceAsync(query, page[^1].Sequence, cancellationToken) : "";
        return (page.Select(r => r.Item).ToList(), next);
    }

    public async Task<Speaker> UpdateAsync(string id, string? etag, Func<Speaker, Speaker> apply, Actor actor, CancellationToken cancellationToken)
    {
        var updated = await OptimisticUpdate.RunAsync(
            ResourceNames.Speaker(id), etag,
            () => store.GetSpeakerAsync(id, cancellationToken),
            s => s.Version,
            current =>
            {
                var updated = Normalize(apply(current) with { Id = current.Id, CreateTime = current.CreateTime, Version = current.Version });
                Validate(updated, "speaker");
                return updated;
            },
            (updated, version) => store.UpdateSpeakerAsync(updated, version, actor.For(AuditActions.SpeakerUpdate), cancellationToken));
        await events.PublishAsync(new SpeakerChanged(id));
        return updated;
    }

    /// <summary>Candidates for a free-text mention, best first. Looks candidates up by name keys (an index, not a
    /// scan of all speakers) and scores each with <see cref="SpeakerNameMatcher"/>.</summary>
    public async Task<IReadOnlyList<(Speaker Speaker, SpeakerMatch Match)>> ResolveAsync(
        string query, int maxCandidates, DateOnly? asOf, CancellationToken cancellationToken)
    {
        var violations = new ViolationCollector();
        violations.Required("query", query, Limits.QueryLength);
        if (maxCandidates < 0) violations.Add("max_candidates", "must not be negative");
        violations.ThrowIfAny();
        var limit = maxCandidates == 0 ? DefaultCandidates : Math.Min(maxCandidates, MaxCandidates);

        var keys = SpeakerNameKeys.ForQuery(query);
        if (keys.Count == 0) return [];
        var ids = await store.FindSpeakerIdsByNameKeysAsync(keys, CandidatePool, cancellationToken);
        var speakers = await store.GetSpeakersAsync(ids, cancellationToken);
        return speakers
            .Select(s => (Speaker: s, Match: SpeakerNameMatcher.Match(query, s, asOf)))
            .Where(c => c.Match is not null)
            .Select(c => (c.Speaker, Match: c.Match!))
            .OrderByDescending(c => c.Match.Score)
            .ThenBy(c => c.Speaker.DisplayName, StringComparer.Ordinal)
            .Take(limit)
            .ToList();
    }

    private static Speaker Normalize(Speaker speaker) => speaker with
    {
        DisplayName = speaker.DisplayName.Trim(),
        Kind = speaker.Kind == SpeakerKind.Unspecified ? SpeakerKind.Person : speaker.Kind,
        Aliases = speaker.Aliases.Select(a => a.Trim()).Where(a => a.Length > 0).Distinct(StringComparer.OrdinalIgnoreCase).ToList(),
        Roles = speaker.Roles.Select(r => r with { Title = r.Title.Trim(), Organization = NullIfBlank(r.Organization) }).ToList(),
        WikidataId = NullIfBlank(speaker.WikidataId)?.ToUpperInvariant(),
        Description = NullIfBlank(speaker.Description),
    };

    private static void Validate(Speaker speaker, string prefix)
    {
        var v = new ViolationCollector();
        v.Required($"{prefix}.display_name", speaker.DisplayName, Limits.NameLength);
        if (!Enum.IsDefined(speaker.Kind)) v.Add($"{prefix}.kind", "unknown speaker kind");
        if (v.MaxCount($"{prefix}.aliases", speaker.Aliases, Limits.Aliases))
            for (var i = 0; i < speaker.Aliases.Count; i++) v.MaxLength($"{prefix}.aliases[{i}]", speaker.Aliases[i], Limits.NameLength);
        if (v.MaxCount($"{prefix}.roles", speaker.Roles, Limits.Roles))
        {
            for (var i = 0; i < speaker.Roles.Count; i++)
            {
                var role = speaker.Roles[i];
                v.Required($"{prefix}.roles[{i}].title", role.Title, Limits.NameLength);
                v.MaxLength($"{prefix}.roles[{i}].organization", role.Organization, Limits.NameLength);
                if (role.Start > role.End) v.Add($"{prefix}.roles[{i}].end_date", "must not be before start_date");
            }
        }
        if (speaker.WikidataId is not null && !WikidataIdPattern().IsMatch(speaker.WikidataId))
            v.Add($"{prefix}.wikidata_id", "must be a Wikidata item id such as Q5906527");
        v.MaxLength($"{prefix}.description", speaker.Description, Limits.DescriptionLength);
        v.ThrowIfAny();
    }

    private static string? NullIfBlank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    [GeneratedRegex("^Q[1-9][0-9]{0,11}$")]
    private static partial Regex WikidataIdPattern();
}

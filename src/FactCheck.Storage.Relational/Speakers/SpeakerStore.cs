using FactCheck.Core.Speakers;

namespace FactCheck.Storage.Relational.Speakers;

/// <summary>Speakers and their name keys, in both databases.</summary>
public sealed class SpeakerStore(RelationalDatabase database) : ISpeakerStore
{
    private const string Columns =
        "s.seq, s.id, s.display_name, s.kind, s.aliases, s.roles, s.wikidata_id, s.description, s.create_time, s.update_time, s.version";

    private readonly SqlDialect dialect = database.Dialect;
    private readonly string byIds = $"WHERE {database.Dialect.IsIn("s.id", "@ids")}";
    private readonly string idsByNameKeys =
        $"""
        SELECT s.id FROM speakers s
        WHERE s.seq IN (SELECT k.speaker_seq FROM speaker_name_keys k WHERE {database.Dialect.IsIn("k.key", "@keys")})
        ORDER BY s.seq LIMIT @limit
        """;

    public Task<Speaker> CreateSpeakerAsync(Speaker speaker, IdempotencyKey? idempotency, AuditContext audit, CancellationToken cancellationToken) =>
        database.WriteAsync(session => IdempotentCreate.RunAsync(session, ResourceNames.SpeakersCollection, speaker.Id, idempotency, async () =>
        {
            var now = session.Now();
            var created = speaker with { CreateTime = now, UpdateTime = now, Version = 1 };
            await EnsureWikidataIdFreeAsync(session, created, cancellationToken);
            var seq = (long)(await session.ScalarAsync(
                """
                INSERT INTO speakers (id, display_name, kind, aliases, roles, wikidata_id, description, create_time, update_time, version)
                VALUES (@id, @display_name, @kind, @aliases, @roles, @wikidata_id, @description, @create_time, @update_time, @version)
                RETURNING seq
                """, cancellationToken, Parameters(created)))!;
            await WriteNameKeysAsync(session, seq, created, cancellationToken);
            await AuditAppender.AppendAsync(session, AuditAppender.Draft(audit, created.ResourceName, null, created), cancellationToken);
            return created;
        }, async id => (await QueryAsync(session, "WHERE s.id = @id", cancellationToken, ("@id", id)))[0].Item, cancellationToken),
        cancellationToken);

    public async Task<Speaker?> GetSpeakerAsync(string id, CancellationToken cancellationToken) =>
        (await GetSpeakersAsync([id], cancellationToken)).SingleOrDefault();

    public async Task<IReadOnlyList<Speaker>> GetSpeakersAsync(IReadOnlyCollection<string> ids, CancellationToken cancellationToken) =>
        (await database.ReadStatementAsync(session => QueryAsync(session, byIds, cancellationToken,
            ("@ids", ids.ToArray())), cancellationToken)).Select(s => s.Item).ToList();

    public async Task<IReadOnlyList<Sequenced<Speaker>>> ListSpeakersAsync(long afterSequence, int limit, CancellationToken cancellationToken) =>
        await database.ReadStatementAsync(session => QueryAsync(session, "WHERE s.seq > @after ORDER BY s.seq LIMIT @limit", cancellationToken,
            ("@after", afterSequence), ("@limit", limit)), cancellationToken);

    public Task<Speaker> UpdateSpeakerAsync(Speaker speaker, long expectedVersion, AuditContext audit, CancellationToken cancellationToken) =>
        database.WriteAsync(async session =>
        {
            var (stored, seq) = VersionCheck.Checked(
                await QueryAsync(session, $"WHERE s.id = @id {dialect.ForUpdate}", cancellationToken, ("@id", speaker.Id)),
                s => s.Version, expectedVersion, ResourceNames.Speaker(speaker.Id));
            // The update keeps the stored create time.
            var updated = speaker with { CreateTime = stored.CreateTime, UpdateTime = session.Now(), Version = expectedVersion + 1 };
            await EnsureWikidataIdFreeAsync(session, updated, cancellationToken);
            await session.ExecuteAsync(
                """
                UPDATE speakers SET display_name = @display_name, kind = @kind, aliases = @aliases, roles = @roles,
                    wikidata_id = @wikidata_id, description = @description, update_time = @update_time, version = @version
                WHERE seq = @seq
                """, cancellationToken, [.. Parameters(updated), ("@seq", seq)]);
            await WriteNameKeysAsync(session, seq, updated, cancellationToken);
            await AuditAppender.AppendAsync(session, AuditAppender.Draft(audit, updated.ResourceName, stored, updated), cancellationToken);
            return updated;
        }, cancellationToken);

    public async Task<IReadOnlyList<string>> FindSpeakerIdsByNameKeysAsync(IReadOnlyCollection<string> keys, int limit, CancellationToken cancellationToken) =>
        await database.ReadAsync(session => session.QueryAsync(idsByNameKeys, row => row.String(0), cancellationToken,
            ("@keys", keys.ToArray()), ("@limit", limit)), cancellationToken);

    private static Task<List<Sequenced<Speaker>>> QueryAsync(DbSession session, string whereAndOrder, CancellationToken cancellationToken,
        params (string, object?)[] parameters) =>
        session.QueryAsync($"SELECT {Columns} FROM speakers s {whereAndOrder}", Read, cancellationToken, parameters);

    /// <summary>
    /// Fails naming the speaker that already has the Wikidata id. Transactions giving the same id away are serialized
    /// on it first, so the later one's check sees the earlier one's commit and this check, not the unique constraint
    /// behind it, decides.
    /// </summary>
    private static async Task EnsureWikidataIdFreeAsync(DbSession session, Speaker speaker, CancellationToken cancellationToken)
    {
        if (speaker.WikidataId is null) return;
        await session.Dialect.SerializeAsync(session, WriteScope.WikidataId, speaker.WikidataId, cancellationToken);
        if (await session.ScalarAsync("SELECT id FROM speakers WHERE wikidata_id = @wikidata_id AND id <> @id", cancellationToken,
                ("@wikidata_id", speaker.WikidataId), ("@id", speaker.Id)) is string holder)
        {
            var holderName = ResourceNames.Speaker(holder);
            throw new AlreadyExistsException(holderName, $"{holderName} already has Wikidata id {speaker.WikidataId}");
        }
    }

    /// <summary>Replaces the speaker's name keys (<see cref="SpeakerNameKeys.For"/>, distinct).</summary>
    private async Task WriteNameKeysAsync(DbSession session, long seq, Speaker speaker, CancellationToken cancellationToken)
    {
        await session.ExecuteAsync("DELETE FROM speaker_name_keys WHERE speaker_seq = @seq", cancellationToken, ("@seq", seq));
        await session.ExecuteAsync($"INSERT INTO speaker_name_keys (key, speaker_seq) SELECT k.value, @seq FROM {dialect.Elements("@keys", "k")}",
            cancellationToken, ("@seq", seq), ("@keys", SpeakerNameKeys.For(speaker).ToArray()));
    }

    private static Sequenced<Speaker> Read(DbRow r) => new(new Speaker
    {
        Id = r.String(1),
        DisplayName = r.String(2),
        Kind = (SpeakerKind)r.Int32(3),
        Aliases = r.Json<string[]>(4),
        Roles = r.Json<Role[]>(5),
        WikidataId = r.NullableString(6),
        Description = r.NullableString(7),
        CreateTime = r.Time(8),
        UpdateTime = r.Time(9),
        Version = r.Int64(10),
    }, r.Int64(0));

    /// <summary>Parameters named after the speakers columns, shared by INSERT and UPDATE.</summary>
    private static (string, object?)[] Parameters(Speaker s) =>
    [
        ("@id", s.Id), ("@display_name", s.DisplayName), ("@kind", (int)s.Kind), ("@aliases", JsonText.Of(s.Aliases)),
        ("@roles", JsonText.Of(s.Roles)), ("@wikidata_id", s.WikidataId), ("@description", s.Description),
        ("@create_time", s.CreateTime), ("@update_time", s.UpdateTime), ("@version", s.Version),
    ];
}

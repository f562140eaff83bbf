namespace FactCheck.Storage.Relational.Claims;

/// <summary>
/// Claims with their appearances, in both databases. What differs is how each keeps the claims findable
/// (<see cref="IClaimSearch"/>): a store derives a column from the text in the claims row itself
/// (<see cref="TextSearchColumn"/>), and adds the statements that index a text's quote shingles
/// (<see cref="AddQuoteShingles"/>) to the transaction that writes it.
/// </summary>
public abstract class ClaimStore : IClaimStore
{
    private const string DeleteShingles = "DELETE FROM claim_shingles WHERE claim_seq = @claim_seq";

    private readonly RelationalDatabase database;
    private readonly ClaimReads reads;
    private readonly TextSearchColumn? textSearch;
    private readonly string insertClaim, updateClaim, missingSpeaker, byId, byIdsOrKeys;

    protected ClaimStore(RelationalDatabase database, TextSearchColumn? textSearch)
    {
        this.database = database;
        this.textSearch = textSearch;
        reads = new ClaimReads(database.Dialect);
        var dialect = database.Dialect;
        insertClaim =
            $"""
            INSERT INTO claims (id, speaker_id, attributed_to, text, kind, said_on, sort_day, context, language_code,
                attribution_confidence, status, create_time, update_time, version{(textSearch is null ? "" : ", " + textSearch.Column)})
            VALUES (@id, @speaker_id, @attributed_to, @text, @kind, @said_on, @sort_day, @context, @language_code,
                @attribution_confidence, @status, @create_time, @update_time, @version{(textSearch is null ? "" : ", " + textSearch.Value)})
            RETURNING seq
            """;
        updateClaim =
            $"""
            UPDATE claims SET speaker_id = @speaker_id, attributed_to = @attributed_to, text = @text, kind = @kind,
                said_on = @said_on, sort_day = @sort_day, context = @context, language_code = @language_code,
                attribution_confidence = @attribution_confidence, status = @status, update_time = @update_time,
                version = @version{(textSearch is null ? "" : $", {textSearch.Column} = {textSearch.Value}")}
            WHERE seq = @seq
            """;
        missingSpeaker =
            $"SELECT w.value FROM {dialect.Elements("@ids", "w")} WHERE NOT EXISTS (SELECT 1 FROM speakers s WHERE s.id = w.value) LIMIT 1";
        // FOR SHARE: a write transaction may read statement by statement, so the row lock keeps an update from
        // committing between the claim and its appearances.
        byId = $"SELECT {ClaimRows.Columns} FROM claims c WHERE c.id = @id {dialect.ForShare}";
        byIdsOrKeys = $"SELECT {ClaimRows.Columns} FROM claims c WHERE ({dialect.IsIn("c.id", "@ids")} OR {dialect.IsIn("c.seq", "@keys")}) AND c.delete_time IS NULL";
    }

    /// <summary>Adds to <paramref name="batch"/>, which runs in the claims' write transaction, the statements that
    /// index the quote shingles (<see cref="Core.Verification.QuoteShingles.For"/>) of the given texts.</summary>
    protected abstract void AddQuoteShingles(StatementBatch batch, IReadOnlyList<(long ClaimSeq, string Text)> claims);

    /// <summary>Indexes the quote shingles of new claims in bulk: by default the statements of
    /// <see cref="AddQuoteShingles"/>, added to <paramref name="batch"/>, which the caller runs; a store may instead
    /// insert them itself, in the session's transaction, before the batch runs.</summary>
    protected virtual Task InsertQuoteShinglesAsync(DbSession session, StatementBatch batch, IReadOnlyList<(long ClaimSeq, string Text)> claims,
        CancellationToken cancellationToken)
    {
        AddQuoteShingles(batch, claims);
        return Task.CompletedTask;
    }

    /// <summary>Inserts claims rows (<see cref="ClaimRows.Parameters"/> and the <see cref="TextSearchColumn"/>'s
    /// parameter) and returns their seqs, in order: by default a <see cref="StatementBatch"/> of INSERT ... RETURNING seq,
    /// one statement per claim.</summary>
    protected virtual Task<List<long>> InsertClaimRowsAsync(DbSession session, IReadOnlyList<(string Name, object? Value)[]> rows,
        CancellationToken cancellationToken)
    {
        var batch = session.Batch();
        foreach (var row in rows) batch.Add(insertClaim, row);
        return batch.QueryAsync(row => row.Int64(0), cancellationToken);
    }

    public Task<Claim> CreateClaimAsync(Claim claim, IdempotencyKey? idempotency, AuditContext audit, CancellationToken cancellationToken) =>
        database.WriteAsync(session => IdempotentCreate.RunAsync(session, ResourceNames.ClaimsCollection, claim.Id, idempotency,
            async () => (await InsertAsync(session, [claim], audit, cancellationToken))[0],
            async id => (await reads.QueryAsync(session, byId, cancellationToken, ("@id", id)))[0].Claim, cancellationToken), cancellationToken);

    public Task<bool> ImportClaimsAsync(IReadOnlyList<Claim> claims, IdempotencyKey? idempotency, AuditContext audit,
        CancellationToken cancellationToken) =>
        database.WriteAsync(session => IdempotentCreate.RunAsync(session, ResourceNames.ClaimImportsCollection, claims[0].Id, idempotency,
            async () =>
            {
                await InsertAsync(session, claims, audit, cancellationToken);
                return true;
            }, _ => Task.FromResult(false), cancellationToken), cancellationToken);

    /// <summary>
    /// Inserts new claims with their appearances, shingles and audit events, in the caller's write transaction, in the
    /// same few operations however many claims: the speakers' check, the claims (<see cref="InsertClaimRowsAsync"/>),
    /// then their appearances, shingles, queued embeddings and audit events in bulk
    /// (<see cref="DbSession.InsertRowsAsync"/>: binary COPY on PostgreSQL; on SQLite each statement compiled once and
    /// rebound per row), the audit chain's head read once.
    /// </summary>
    private async Task<List<Claim>> InsertAsync(DbSession session, IReadOnlyList<Claim> claims, AuditContext audit, CancellationToken cancellationToken)
    {
        await EnsureSpeakersExistAsync(session, claims.Select(c => c.SpeakerId).OfType<string>().Distinct().ToArray(), cancellationToken);
        var now = session.Now();
        var created = claims.Select(claim => WithMicrosecondTimes(claim) with { CreateTime = now, UpdateTime = now, Version = 1 }).ToList();

        var seqs = await InsertClaimRowsAsync(session, created.Select(Parameters).ToList(), cancellationToken);

        await session.InsertRowsAsync("appearances", created.SelectMany((claim, i) => ClaimRows.AppearanceRows(seqs[i], claim)).ToList(),
            cancellationToken);
        var details = session.Batch();
        await InsertQuoteShinglesAsync(session, details, created.Select((claim, i) => (seqs[i], claim.Text)).ToList(), cancellationToken);
        VectorFeed.Enqueue(details, session.Dialect, seqs);
        await details.ExecuteAsync(cancellationToken);

        await AuditAppender.AppendAsync(session, created.Select(c => AuditAppender.Draft(audit, c.ResourceName, null, c)).ToList(), cancellationToken);
        return created;
    }

    public async Task<Claim?> GetClaimAsync(string id, CancellationToken cancellationToken) =>
        (await GetClaimsAsync([id], cancellationToken)).SingleOrDefault();

    public async Task<IReadOnlyList<Claim>> GetClaimsAsync(IReadOnlyCollection<string> ids, CancellationToken cancellationToken) =>
        await database.ReadStatementAsync(session => reads.ByIdsAsync(session, ids, cancellationToken), cancellationToken);

    public async Task<IReadOnlyList<Sequenced<Claim>>> GetKeyedClaimsAsync(IReadOnlyCollection<string> ids, IReadOnlyCollection<long> keys,
        CancellationToken cancellationToken)
    {
        if (ids.Count == 0 && keys.Count == 0) return [];
        return (await database.ReadAsync(session => reads.QueryAsync(session, byIdsOrKeys, cancellationToken, ("@ids", ids.ToArray()), ("@keys", keys.ToArray())),
            cancellationToken)).Select(row => new Sequenced<Claim>(row.Claim, row.Seq)).ToList();
    }

    public async Task<IReadOnlyList<Sequenced<Claim>>> ListClaimsAsync(ClaimFilter filter, ClaimCursor? after, int limit, CancellationToken cancellationToken)
    {
        var (sql, parameters) = ClaimListing.Query(database.Dialect, filter, after, limit);
        return await database.ReadStatementAsync(session => session.QueryAsync(sql,
            row => new Sequenced<Claim>(ClaimRows.ReadWithAppearances(row), row.Int64(0)), cancellationToken, parameters), cancellationToken);
    }

    public Task<Claim> UpdateClaimAsync(Claim claim, long expectedVersion, AuditContext audit, CancellationToken cancellationToken) =>
        database.WriteAsync(async session =>
        {
            var (stored, seq) = await reads.LockLiveAsync(session, claim.Id, expectedVersion, cancellationToken);
            // The stored create time, not the caller's: it can decide the sort day.
            var updated = WithMicrosecondTimes(claim) with { CreateTime = stored.CreateTime, UpdateTime = session.Now(), Version = expectedVersion + 1 };
            if (updated.SpeakerId is { } speakerId) await EnsureSpeakersExistAsync(session, [speakerId], cancellationToken);
            var writes = session.Batch()
                .Add(updateClaim, [.. Parameters(updated), ("@seq", seq)])
                .Add("DELETE FROM appearances WHERE claim_seq = @claim_seq", ("@claim_seq", seq));
            foreach (var appearance in ClaimRows.AppearanceRows(seq, updated)) writes.Add(ClaimRows.InsertAppearance, appearance);
            if (updated.Text != stored.Text)
            {
                writes.Add(DeleteShingles, ("@claim_seq", seq));
                AddQuoteShingles(writes, [(seq, updated.Text)]);
            }
            await writes.ExecuteAsync(cancellationToken);
            if (updated.Text != stored.Text) await VectorFeed.RequeueAsync(session, seq, updated.Version, cancellationToken);
            await AuditAppender.AppendAsync(session, AuditAppender.Draft(audit, updated.ResourceName, stored, updated), cancellationToken);
            return updated;
        }, cancellationToken);

    public Task DeleteClaimAsync(string id, long expectedVersion, DateTimeOffset deleteTime, AuditContext audit, CancellationToken cancellationToken) =>
        database.WriteAsync(async session =>
        {
            var (stored, seq) = await reads.LockLiveAsync(session, id, expectedVersion, cancellationToken);
            // Leaving delete_time IS NULL also takes the claim out of the partial indexes and out of search.
            await session.Batch()
                .Add("UPDATE claims SET delete_time = @delete_time, update_time = @delete_time, version = version + 1 WHERE seq = @seq",
                    ("@delete_time", TruncateToMicros(deleteTime)), ("@seq", seq))
                .Add(DeleteShingles, ("@claim_seq", seq))
                .ExecuteAsync(cancellationToken);
            await VectorFeed.DropAsync(session, seq, cancellationToken);
            await AuditAppender.AppendAsync(session, AuditAppender.Draft<Claim>(audit, stored.ResourceName, stored, null), cancellationToken);
            return true;
        }, cancellationToken);

    private (string, object?)[] Parameters(Claim claim) =>
        textSearch is null ? ClaimRows.Parameters(claim) : [.. ClaimRows.Parameters(claim), (textSearch.Parameter, textSearch.ValueOf(claim.Text))];

    /// <summary>NOT_FOUND naming the first of <paramref name="speakerIds"/> that is not stored, in one query. The domain
    /// checks first; this keeps the store's own contract (a claim never refers to a missing speaker). Speakers are
    /// never hard-deleted, so a speaker seen here is still there at commit.</summary>
    private async Task EnsureSpeakersExistAsync(DbSession session, string[] speakerIds, CancellationToken cancellationToken)
    {
        if (speakerIds.Length > 0 && await session.ScalarAsync(missingSpeaker, cancellationToken, ("@ids", speakerIds)) is string missing)
            throw new NotFoundException(ResourceNames.Speaker(missing));
    }
}

/// <summary>A column of the claims row derived from the text in the statement that writes it: <see cref="Column"/> =
/// <see cref="Value"/>, an expression of <see cref="Parameter"/>, which is bound to <see cref="ValueOf"/> the text.</summary>
public sealed record TextSearchColumn(string Column, string Value, string Parameter, Func<string, string> ValueOf);

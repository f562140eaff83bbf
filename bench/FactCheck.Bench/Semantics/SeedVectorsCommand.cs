using System.Globalization;
using FactCheck.Semantics.Embedding;
using FactCheck.Storage.Relational.Semantics;
using Microsoft.Data.Sqlite;

namespace FactCheck.Bench.Semantics;

/// <summary>
/// <c>seed-vectors</c>: gives every claim of a loaded SQLite bench database a stored MiniLM vector, as if the
/// indexer had embedded them all, so a server started on it builds its semantic index at once and verification at
/// 1M can be measured without the ~1.5 h of embedding. The vectors come from a file of real ones (<see cref="EmbedCommand"/>);
/// beyond its size they are synthesized as <see cref="IndexCommand"/> does, so claim i's vector is not its text's:
/// the look-up costs what it costs at that size, but which claims it finds is not meaningful. Empties the embedding
/// queue and records the model as the one in use, so nothing is re-embedded.
/// </summary>
public static class SeedVectorsCommand
{
    private const int BatchSize = 20_000;

    public static Task<int> RunAsync(Args args)
    {
        var database = args.Required("db");
        var file = args.Required("vectors");
        args.EnsureAllUsed();

        var model = MiniLmEmbedder.MiniLm;
        var pool = VectorFile.Read(file, model.Dimensions);
        using var connection = new SqliteConnection($"Data Source={database}");
        connection.Open();
        Execute(connection, "PRAGMA journal_mode = WAL");
        Execute(connection, "INSERT INTO embedding_models (name, version, dimensions) VALUES (@name, @version, @dimensions) ON CONFLICT DO NOTHING",
            ("@name", model.Name), ("@version", model.Version), ("@dimensions", model.Dimensions));
        var modelId = Convert.ToInt64(Scalar(connection, "SELECT id FROM embedding_models WHERE name = @name AND version = @version",
            ("@name", model.Name), ("@version", model.Version)), CultureInfo.InvariantCulture);
        Execute(connection, "INSERT INTO installation (key, value) VALUES ('embedding_model', @value) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            ("@value", BitConverter.GetBytes(modelId)));

        var seqs = new List<long>();
        using (var command = connection.CreateCommand())
        {
            command.CommandText = "SELECT seq FROM claims WHERE delete_time IS NULL ORDER BY seq";
            using var reader = command.ExecuteReader();
            while (reader.Read()) seqs.Add(reader.GetInt64(0));
        }
        var vectors = IndexCommand.Synthesize(pool, seqs.Count);
        var position = Convert.ToInt64(Scalar(connection, "SELECT coalesce(max(position), 0) FROM claim_vectors"), CultureInfo.InvariantCulture);
        for (var start = 0; start < seqs.Count; start += BatchSize)
        {
            using var transaction = connection.BeginTransaction();
            using var insert = connection.CreateCommand();
            insert.Transaction = transaction;
            insert.CommandText = """
                INSERT INTO claim_vectors (claim_seq, position, model_id, vector) VALUES (@claim_seq, @position, @model_id, @vector)
                ON CONFLICT (claim_seq) DO UPDATE SET position = excluded.position, model_id = excluded.model_id, vector = excluded.vector
                """;
            var seq = insert.Parameters.Add("@claim_seq", SqliteType.Integer);
            var at = insert.Parameters.Add("@position", SqliteType.Integer);
            insert.Parameters.AddWithValue("@model_id", modelId);
            var vector = insert.Parameters.Add("@vector", SqliteType.Blob);
            for (var i = start; i < Math.Min(seqs.Count, start + BatchSize); i++)
            {
                (seq.Value, at.Value, vector.Value) = (seqs[i], ++position, VectorFeed.ToBlob(vectors[i]));
                insert.ExecuteNonQuery();
            }
            transaction.Commit();
            Console.Error.WriteLine($"[seed-vectors] {Math.Min(seqs.Count, start + BatchSize):N0}/{seqs.Count:N0}");
        }
        Execute(connection, "DELETE FROM embedding_queue");
        Console.Error.WriteLine($"[seed-vectors] {seqs.Count:N0} vectors ({Math.Min(pool.Length, seqs.Count):N0} real, the rest synthesized); queue emptied");
        return Task.FromResult(0);
    }

    private static void Execute(SqliteConnection connection, string sql, params (string Name, object Value)[] parameters)
    {
        using var command = Command(connection, sql, parameters);
        command.ExecuteNonQuery();
    }

    private static object? Scalar(SqliteConnection connection, string sql, params (string Name, object Value)[] parameters)
    {
        using var command = Command(connection, sql, parameters);
        return command.ExecuteScalar();
    }

    private static SqliteCommand Command(SqliteConnection connection, string sql, (string Name, object Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value);
        return command;
    }
}

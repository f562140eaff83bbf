using Npgsql;

namespace FactCheck.Storage.Postgres;

/// <summary>Parameterized commands in one line. Values are always bound as parameters, never spliced into SQL.</summary>
internal static class PostgresCommands
{
    // Npgsql runs a command in its connection's open transaction, if any.
    public static NpgsqlCommand Command(this NpgsqlConnection connection, string sql, params (string Name, object? Value)[] parameters)
    {
        var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddAll(parameters);
        return command;
    }

    /// <summary>One statement of an <see cref="NpgsqlBatch"/>, which sends them all in one round trip.</summary>
    public static NpgsqlBatchCommand BatchCommand(string sql, params (string Name, object? Value)[] parameters)
    {
        var command = new NpgsqlBatchCommand(sql);
        command.Parameters.AddAll(parameters);
        return command;
    }

    private static void AddAll(this NpgsqlParameterCollection collection, (string Name, object? Value)[] parameters)
    {
        foreach (var (name, value) in parameters) collection.AddWithValue(name, value ?? DBNull.Value);
    }

    public static async Task<int> ExecuteAsync(this NpgsqlConnection connection, string sql, CancellationToken cancellationToken,
        params (string Name, object? Value)[] parameters)
    {
        await using var command = connection.Command(sql, parameters);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>The first column of the first row, or null when there is no row or the value is NULL.</summary>
    public static async Task<object?> ScalarAsync(this NpgsqlConnection connection, string sql, CancellationToken cancellationToken,
        params (string Name, object? Value)[] parameters)
    {
        await using var command = connection.Command(sql, parameters);
        var value = await command.ExecuteScalarAsync(cancellationToken);
        return value is DBNull ? null : value;
    }

    public static string? GetNullableString(this NpgsqlDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);
}

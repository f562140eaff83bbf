using System.Globalization;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;

namespace FactCheck.Cli;

/// <summary>Prints results to stdout, either as protobuf JSON or as text for people; errors go to stderr.</summary>
internal sealed class Output(bool json)
{
    private static readonly JsonFormatter Formatter = new(JsonFormatter.Settings.Default.WithIndentation());

    /// <summary>For JSON that isn't a protobuf message: indented, with text left readable (it is for files and
    /// terminals, not HTML), nulls left out.</summary>
    public static readonly JsonSerializerOptions PlainJson = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
    };

    public bool Json => json;

    /// <summary>Prints <paramref name="message"/> as JSON, or hands it to <paramref name="human"/> for text output.</summary>
    public void Print<T>(T message, Action<T> human) where T : IMessage
    {
        if (json) Console.WriteLine(Formatter.Format(message));
        else human(message);
    }

    public static void Table(IReadOnlyList<string> headers, IEnumerable<IReadOnlyList<string>> rows)
    {
        var all = rows.Prepend(headers).ToList();
        if (all.Count == 1)
        {
            Note("(none)");
            return;
        }
        var widths = headers.Select((_, i) => all.Max(row => row[i].Length)).ToArray();
        foreach (var row in all)
            Console.WriteLine(string.Join("  ", row.Select((cell, i) => cell.PadRight(widths[i]))).TrimEnd());
    }

    /// <summary>"label: value" lines with the values aligned; empty values are left out.</summary>
    public static void Fields(params (string Label, string? Value)[] fields)
    {
        var present = fields.Where(f => !string.IsNullOrEmpty(f.Value)).ToList();
        var width = present.Max(f => f.Label.Length) + 2;
        foreach (var (label, value) in present)
            Console.WriteLine((label + ":").PadRight(width) + value);
    }

    public static string Truncate(string text, int max = 80)
    {
        var oneLine = text.ReplaceLineEndings(" ");
        return oneLine.Length <= max ? oneLine : oneLine[..(max - 1)] + "…";
    }

    public static string Format(Google.Type.Date? date) =>
        date is null ? "" : $"{date.Year:D4}-{date.Month:D2}-{date.Day:D2}";

    public static string Format(Timestamp? time) =>
        time is null ? "" : time.ToDateTimeOffset().ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>A time as schema.org and ISO 8601 write it: 2024-12-03T05:25:00Z.</summary>
    public static string Iso(Timestamp time) => time.ToDateTimeOffset().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    public static string Format(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);

    /// <summary>A remark for the user that isn't a result (stderr, so it never mixes into JSON output).</summary>
    public static void Note(string message) => Console.Error.WriteLine(message);

    public static void Error(string message) => Console.Error.WriteLine($"error: {message}");

    /// <param name="subject">What failed, when it isn't the whole command.</param>
    public static void Error(RpcException ex, string? subject = null)
    {
        Error($"{(subject is null ? "" : subject + ": ")}{ex.StatusCode}: {ex.Status.Detail}");
        // Servers often repeat a lone violation as the detail; once is enough.
        foreach (var line in Violations(ex).Where(v => v != ex.Status.Detail)) Console.Error.WriteLine($"  {line}");
    }

    /// <summary>The <c>google.rpc.BadRequest</c> field violations the server attached, as "field: description".</summary>
    public static IEnumerable<string> Violations(RpcException ex) =>
        ex.GetRpcStatus()?.GetDetail<Google.Rpc.BadRequest>()?.FieldViolations.Select(v => $"{v.Field}: {v.Description}") ?? [];
}

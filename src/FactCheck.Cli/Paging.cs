using Google.Protobuf;

namespace FactCheck.Cli;

internal static class Paging
{
    /// <summary>Fetches pages until <paramref name="limit"/> items are collected or the server has no more.
    /// <paramref name="fetchPage"/> gets the page size to ask for and the page token.</summary>
    /// <returns>The items, and whether the server had more than were collected.</returns>
    public static async Task<(List<T> Items, bool More)> CollectAsync<T>(
        int limit, Func<int, string, Task<(IEnumerable<T> Items, string NextPageToken)>> fetchPage)
    {
        const int maxPageSize = 1000; // the server caps page sizes here
        var items = new List<T>();
        var token = "";
        do
        {
            var page = await fetchPage(Math.Min(limit - items.Count, maxPageSize), token);
            items.AddRange(page.Items.Take(limit - items.Count));
            token = page.NextPageToken;
        } while (token != "" && items.Count < limit);
        return (items, token != "");
    }

    /// <summary>What the list commands do: collects up to <paramref name="limit"/> items and prints them, as
    /// <paramref name="response"/> in JSON or else a table, saying on stderr when the server has more.</summary>
    public static async Task<int> PrintAsync<T>(
        CommandContext context, int limit, string what, Func<int, string, Task<(IEnumerable<T> Items, string NextPageToken)>> fetchPage,
        Func<List<T>, IMessage> response, IReadOnlyList<string> headers, Func<T, IReadOnlyList<string>> row)
    {
        var (items, more) = await CollectAsync(limit, fetchPage);
        context.Output.Print(response(items), _ => Output.Table(headers, items.Select(row)));
        if (more) Output.Note($"(more {what} exist; raise --limit to see them)");
        return ExitCodes.Ok;
    }

    /// <summary>Every item, fetching pages of <paramref name="pageSize"/> as they are needed; stop enumerating to
    /// stop fetching.</summary>
    public static async IAsyncEnumerable<T> AllAsync<T>(
        Func<int, string, Task<(IEnumerable<T> Items, string NextPageToken)>> fetchPage, int pageSize = 100)
    {
        var token = "";
        do
        {
            var page = await fetchPage(pageSize, token);
            foreach (var item in page.Items) yield return item;
            token = page.NextPageToken;
        } while (token != "");
    }
}

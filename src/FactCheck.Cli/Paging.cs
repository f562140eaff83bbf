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
}

namespace Egov.Steering.Cli.Remote;

/// <summary>AIP-158 paging from a client's side: a command shows the whole answer, not its first page.</summary>
public static class Pages
{
    public static async Task<List<T>> AllAsync<T>(Func<string, Task<(IEnumerable<T> Items, string NextPageToken)>> fetch)
    {
        var all = new List<T>();
        var pageToken = string.Empty;
        do
        {
            var (items, next) = await fetch(pageToken);
            all.AddRange(items);
            pageToken = next;
        }
        while (pageToken.Length > 0);

        return all;
    }
}

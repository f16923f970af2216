using Egov.Steering.Membership.Data;
using Microsoft.EntityFrameworkCore;

namespace Egov.Steering.Membership.UseCases;

/// <summary>One page of a list read in the database by its keys: the keys of the last row read before, and how many.</summary>
public sealed record KeysetPage(IReadOnlyList<string>? After, int Size);

/// <summary>The rows of a page and the keys of its last row when more follow (null: the last page).</summary>
public sealed record Page<T>(IReadOnlyList<T> Items, IReadOnlyList<string>? NextKey);

internal static class NamePaging
{
    /// <summary>
    /// One page of people or posts read in SQL (keyset paging): those after the (sort key, id) of the page's
    /// <see cref="KeysetPage.After"/>, in that order, both compared bytewise so the order is the ordinal one of the
    /// in-memory pages, the vi-VN order of the stored names. A page costs the same however deep.
    /// </summary>
    public static async Task<Page<T>> PageByNameAsync<T>(this IQueryable<T> query, MembershipDbContext db, KeysetPage page, CancellationToken cancellationToken)
        where T : class
    {
        var collation = db.BytewiseCollation;
        var keyed = collation is null
            ? query.Select(e => new { Item = e, SortKey = EF.Property<string>(e, MembershipDbContext.SortKey), Id = EF.Property<string>(e, "Id") })
            : query.Select(e => new
            {
                Item = e,
                SortKey = EF.Property<string>(e, MembershipDbContext.SortKey),
                Id = EF.Functions.Collate(EF.Property<string>(e, "Id"), collation),
            });
        if (page.After is [var lastSortKey, var lastId])
        {
            // (sort_key, id) > (last): the first condition alone bounds the index range, the second drops its first rows.
            keyed = keyed.Where(e => string.Compare(e.SortKey, lastSortKey) >= 0
                && (string.Compare(e.SortKey, lastSortKey) > 0 || string.Compare(e.Id, lastId) > 0));
        }

        var rows = await keyed.OrderBy(e => e.SortKey).ThenBy(e => e.Id).Take(page.Size + 1).ToListAsync(cancellationToken);
        var next = rows.Count > page.Size ? new[] { rows[page.Size - 1].SortKey, rows[page.Size - 1].Id } : null;
        return new([.. rows.Take(page.Size).Select(row => row.Item)], next);
    }
}

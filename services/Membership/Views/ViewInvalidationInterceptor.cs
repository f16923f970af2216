using System.Data.Common;
using System.Runtime.CompilerServices;
using Egov.Steering.Membership.Data;
using Egov.Steering.Membership.Domain;
using Egov.Steering.Membership.Domain.Compliance;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Egov.Steering.Membership.Views;

/// <summary>
/// Works out from what a unit of work saves which views it touches (the committees whose rows or owned rows change,
/// those whose seats a changed post fills, and the national overview), and invalidates exactly those once the
/// transaction commits: never before (a reader would cache the old data under the new key), never on rollback.
/// Every writer (the decision consumer, the API, the rollover) gets it without calling anything.
/// </summary>
public sealed class ViewInvalidationInterceptor(ViewCache cache) : ISaveChangesInterceptor, IDbTransactionInterceptor
{
    private static readonly ConditionalWeakTable<DbContext, HashSet<string>> Pending = [];

    public InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        if (eventData.Context is MembershipDbContext db)
        {
            Collect(db, Touched(db, posts => [.. PostCommittees(db, posts)]));
        }

        return result;
    }

    public async ValueTask<InterceptionResult<int>> SavingChangesAsync(
        DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        if (eventData.Context is MembershipDbContext db)
        {
            var postCommittees = new List<string>();
            var views = Touched(db, posts =>
            {
                postCommittees.AddRange(posts);
                return [];
            });
            if (postCommittees.Count > 0)
            {
                views.UnionWith((await PostCommittees(db, postCommittees).ToListAsync(cancellationToken)).Select(ViewKeys.Committee));
                views.Add(ViewKeys.Overview);
            }

            Collect(db, views);
        }

        return result;
    }

    public int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        if (eventData.Context?.Database.CurrentTransaction is null)
        {
            Flush(eventData.Context).GetAwaiter().GetResult();
        }

        return result;
    }

    public async ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        if (eventData.Context?.Database.CurrentTransaction is null)
        {
            await Flush(eventData.Context);
        }

        return result;
    }

    public void SaveChangesFailed(DbContextErrorEventData eventData)
    {
        if (eventData.Context?.Database.CurrentTransaction is null)
        {
            Forget(eventData.Context);
        }
    }

    public Task SaveChangesFailedAsync(DbContextErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        SaveChangesFailed(eventData);
        return Task.CompletedTask;
    }

    public void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData) =>
        Flush(eventData.Context).GetAwaiter().GetResult();

    public Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default) =>
        Flush(eventData.Context);

    public void TransactionRolledBack(DbTransaction transaction, TransactionEndEventData eventData) => Forget(eventData.Context);

    public Task TransactionRolledBackAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Forget(eventData.Context);
        return Task.CompletedTask;
    }

    /// <summary>
    /// The views the pending changes touch. Rows inside a committee carry its id (CommitteeId, or an owned row's
    /// *CommitteeId key); a post's changes reach the committees it sits on (resolved by <paramref name="postCommittees"/>);
    /// a person's name may appear anywhere.
    /// </summary>
    internal static HashSet<string> Touched(DbContext db, Func<IReadOnlyList<string>, IEnumerable<string>> postCommittees)
    {
        var views = new HashSet<string>(StringComparer.Ordinal);
        var posts = new List<string>();
        foreach (var entry in db.ChangeTracker.Entries().Where(e => e.State is EntityState.Added or EntityState.Modified or EntityState.Deleted))
        {
            switch (entry.Entity)
            {
                case Committee committee:
                    views.Add(ViewKeys.Committee(committee.Id));
                    break;
                case Post post:
                    posts.Add(post.Id);
                    break;
                case PostHolder:
                    posts.Add((string)entry.Property("PostId").CurrentValue!);
                    break;
                case Person:
                    views.Add(ViewKeys.All);
                    break;
                case OrganisationRecord:
                    views.Add(ViewKeys.Overview);
                    break;
                case ComplianceRule:
                    // The views evaluate compliance as of their date with the rules.
                    views.Add(ViewKeys.All);
                    break;
                default:
                    if (CommitteeOf(entry) is { } committeeId)
                    {
                        views.Add(ViewKeys.Committee(committeeId));
                    }

                    break;
            }
        }

        if (posts.Count > 0)
        {
            views.UnionWith(postCommittees(posts).Select(ViewKeys.Committee));
        }

        // Every committee of the overview is a row of it (or the national committee at its top).
        if (views.Count > 0)
        {
            views.Add(ViewKeys.Overview);
        }

        return views;
    }

    private static string? CommitteeOf(EntityEntry entry) => entry.Properties
        .Where(p => p.Metadata.Name.EndsWith(nameof(CommitteeMembership.CommitteeId), StringComparison.Ordinal) && p.Metadata.ClrType == typeof(string))
        .Select(p => (string?)(p.CurrentValue ?? p.OriginalValue))
        .FirstOrDefault(id => id is not null);

    private static IQueryable<string> PostCommittees(MembershipDbContext db, IReadOnlyList<string> postIds) =>
        db.Set<CommitteeMembership>().Where(m => m.PostId != null && postIds.Contains(m.PostId)).Select(m => m.CommitteeId)
            .Union(db.Set<WorkingGroup>().Where(g => g.Seats.Any(s => s.PostId != null && postIds.Contains(s.PostId))).Select(g => g.CommitteeId));

    private static void Collect(DbContext db, HashSet<string> views)
    {
        if (views.Count > 0)
        {
            Pending.GetOrCreateValue(db).UnionWith(views);
        }
    }

    private Task Flush(DbContext? db)
    {
        if (db is null || !Pending.TryGetValue(db, out var views))
        {
            return Task.CompletedTask;
        }

        Pending.Remove(db);
        return cache.InvalidateAsync(views);
    }

    private static void Forget(DbContext? db)
    {
        if (db is not null)
        {
            Pending.Remove(db);
        }
    }
}

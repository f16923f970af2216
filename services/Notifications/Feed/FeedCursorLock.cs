using Egov.Steering.Notifications.Data;
using Microsoft.EntityFrameworkCore;

namespace Egov.Steering.Notifications.Feed;

/// <summary>
/// A relay's cursor, locked for the caller's transaction: on PostgreSQL one replica at a time works a cursor (the
/// others skip it), so relays are safe with several replicas.
/// </summary>
internal static class FeedCursorLock
{
    /// <summary>The cursor's position, or null when another replica holds it.</summary>
    public static async Task<long?> TryLockAsync(NotificationsDbContext db, string name, DateTime now, CancellationToken cancellationToken)
    {
        if (db.Database.IsNpgsql())
        {
            // The row exists after the first pass: create it only when it cannot be locked (missing, or another
            // replica's), which saves a statement on every wake-up of the relays.
            if (await TryLockRowAsync(db, name, cancellationToken) is { } position)
            {
                return position;
            }

            await CreateIfMissingAsync(db, name, now, cancellationToken);
            return await TryLockRowAsync(db, name, cancellationToken);
        }

        await CreateIfMissingAsync(db, name, now, cancellationToken);
        return await db.FeedCursors.Where(c => c.Name == name).Select(c => c.Position).SingleAsync(cancellationToken);
    }

    /// <summary>
    /// Waits until the cursor is free and holds it for the caller's transaction: what the cursor's relay decides
    /// meanwhile (on PostgreSQL) is committed before the caller reads on.
    /// </summary>
    public static async Task LockAsync(NotificationsDbContext db, string name, DateTime now, CancellationToken cancellationToken)
    {
        await CreateIfMissingAsync(db, name, now, cancellationToken);
        if (db.Database.IsNpgsql())
        {
            await db.Database.SqlQuery<long>($"SELECT position AS \"Value\" FROM feed_cursors WHERE name = {name} FOR UPDATE")
                .ToListAsync(cancellationToken);
        }
    }

    // On SQLite the write also takes the database's one write lock for the transaction: that is its cursor lock.
    private static Task<int> CreateIfMissingAsync(NotificationsDbContext db, string name, DateTime now, CancellationToken cancellationToken) =>
        db.Database.IsNpgsql()
            ? db.Database.ExecuteSqlAsync(
                $"INSERT INTO feed_cursors (name, position, updated_at) VALUES ({name}, 0, {now}) ON CONFLICT DO NOTHING", cancellationToken)
            : db.Database.ExecuteSqlAsync(
                $"INSERT OR IGNORE INTO feed_cursors (name, position, updated_at) VALUES ({name}, 0, {now})", cancellationToken);

    private static async Task<long?> TryLockRowAsync(NotificationsDbContext db, string name, CancellationToken cancellationToken)
    {
        var locked = await db.Database.SqlQuery<long>(
                $"SELECT position AS \"Value\" FROM feed_cursors WHERE name = {name} FOR UPDATE SKIP LOCKED")
            .ToListAsync(cancellationToken);
        return locked.Count == 0 ? null : locked[0];
    }

    public static Task MoveAsync(NotificationsDbContext db, string name, long position, DateTime now, CancellationToken cancellationToken) =>
        db.FeedCursors.Where(c => c.Name == name)
            .ExecuteUpdateAsync(c => c.SetProperty(x => x.Position, position).SetProperty(x => x.UpdatedAt, now), cancellationToken);
}

using Egov.Steering.Notifications.Data;
using Microsoft.EntityFrameworkCore;

namespace Egov.Steering.Notifications.Feed;

/// <summary>
/// A relay's cursor, locked for the caller's transaction: on PostgreSQL one replica at a time works a cursor (the
/// others skip it), so relays are safe with several replicas.
/// </summary>
internal static class FeedCursorLock
{
    /// <summary>
    /// The next events after the cursor, at most <paramref name="limit"/>, with the cursor held for the caller's
    /// transaction when there are any; none when the log has nothing after it or another replica holds it.
    /// </summary>
    public static async Task<List<LoggedEvent>> TryLockAndReadAfterAsync(
        NotificationsDbContext db, string name, int limit, DateTime now, CancellationToken cancellationToken)
    {
        if (db.Database.IsNpgsql())
        {
            // One round trip: the sub-select locks the cursor, or skips it if another replica holds it (then nothing is
            // read), and gives its latest position whatever the statement's snapshot; the events after it are read in
            // that snapshot, so one committed meanwhile waits for the next pass. The row exists: EnsureExistsAsync.
            return await db.Events
                .FromSql($"SELECT * FROM event_log WHERE position > (SELECT position FROM feed_cursors WHERE name = {name} FOR UPDATE SKIP LOCKED) ORDER BY position LIMIT {limit}")
                .AsNoTracking()
                .ToListAsync(cancellationToken);
        }

        // On SQLite the write also takes the database's one write lock for the transaction: that is its cursor lock.
        await EnsureExistsAsync(db, name, now, cancellationToken);
        var cursor = await db.FeedCursors.Where(c => c.Name == name).Select(c => c.Position).SingleAsync(cancellationToken);
        return await EventLog.ReadAfterAsync(db, cursor, limit, cancellationToken);
    }

    /// <summary>
    /// Waits until the cursor is free and holds it for the caller's transaction: what the cursor's relay decides
    /// meanwhile (on PostgreSQL) is committed before the caller reads on.
    /// </summary>
    public static async Task LockAsync(NotificationsDbContext db, string name, DateTime now, CancellationToken cancellationToken)
    {
        await EnsureExistsAsync(db, name, now, cancellationToken);
        if (db.Database.IsNpgsql())
        {
            await db.Database.SqlQuery<long>($"SELECT position AS \"Value\" FROM feed_cursors WHERE name = {name} FOR UPDATE")
                .ToListAsync(cancellationToken);
        }
    }

    /// <summary>Creates the cursor at the log's start if it does not exist yet.</summary>
    public static Task<int> EnsureExistsAsync(NotificationsDbContext db, string name, DateTime now, CancellationToken cancellationToken) =>
        db.Database.IsNpgsql()
            ? db.Database.ExecuteSqlAsync(
                $"INSERT INTO feed_cursors (name, position, updated_at) VALUES ({name}, 0, {now}) ON CONFLICT DO NOTHING", cancellationToken)
            : db.Database.ExecuteSqlAsync(
                $"INSERT OR IGNORE INTO feed_cursors (name, position, updated_at) VALUES ({name}, 0, {now})", cancellationToken);

    public static Task MoveAsync(NotificationsDbContext db, string name, long position, DateTime now, CancellationToken cancellationToken) =>
        db.FeedCursors.Where(c => c.Name == name)
            .ExecuteUpdateAsync(c => c.SetProperty(x => x.Position, position).SetProperty(x => x.UpdatedAt, now), cancellationToken);
}

using Egov.Steering.Events.V1;
using Egov.Steering.Messaging.Tracing;
using Egov.Steering.Notifications.Data;
using Google.Protobuf;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;

namespace Egov.Steering.Notifications.Feed;

/// <summary>
/// The ordered log. Positions are 1, 2, 3, ... in commit order: on PostgreSQL an appender holds a transaction-level
/// advisory lock from numbering until its commit, so across replicas a row at position P+1 can only commit after P
/// did, and a reader that has seen P+1 can never later find P. SQLite (one process) writes one transaction at a
/// time; a stale number there fails on the key and the message is retried.
/// </summary>
public static class EventLog
{
    public const string NotificationChannel = "notifications_event_log";

    // Any constant shared by every replica; also taken by the retention purge so it never races an append.
    internal const long AppendLockKey = 7_301_934_118_226_021_001;

    // Rows whose sizes a page read looks at: a page of small events stops here.
    private const int PageSizeProbe = 500;

    /// <summary>
    /// Appends <paramref name="envelope"/> in the caller's transaction unless its id is already logged; returns the
    /// new row, or null for a duplicate. On PostgreSQL the append lock is taken last, after everything else the
    /// unit of work writes has been saved, and the look for the id, numbering and insert are one round trip: appenders
    /// of every replica wait for each other only that long and for their commits.
    /// </summary>
    public static async Task<LoggedEvent?> AppendAsync(
        NotificationsDbContext db, EventEnvelope envelope, DateTime now, CancellationToken cancellationToken)
    {
        var stored = envelope.Clone();
        stored.Position = 0;
        // Kept with the event: every channel that serves it (stream, exchange, webhook) continues this trace. A
        // producer that sent only the W3C headers gets the context of the handling that logged its event.
        if (stored.Traceparent.Length == 0 && TraceContext.Current is { } trace)
        {
            stored.Traceparent = trace.TraceParent;
            stored.Tracestate = trace.TraceState;
        }

        var row = new LoggedEvent
        {
            EventId = envelope.Id,
            Type = envelope.Type,
            Aggregate = envelope.Aggregate,
            AggregateVersion = envelope.AggregateVersion,
            Committee = envelope.Committee,
            CommitteeLevel = (int)envelope.CommitteeLevel,
            Jurisdiction = envelope.Jurisdiction,
            EventTime = envelope.Time?.ToDateTime() ?? now,
            AppendedAt = now,
            Envelope = stored.ToByteArray(),
        };
        if (db.Database.IsNpgsql())
        {
            await db.SaveChangesAsync(cancellationToken);
            if (await InsertNumberedAsync(db, row, cancellationToken) is not { } position)
            {
                return null;
            }

            row.Position = position;
        }
        else
        {
            // One process writes one transaction at a time: nothing can log the id between this look and the commit.
            if (await db.Events.AnyAsync(e => e.EventId == envelope.Id, cancellationToken))
            {
                return null;
            }

            row.Position = await LastPositionAsync(db, cancellationToken) + 1;
            db.Events.Add(row);
        }

        stored.Position = row.Position;
        db.Appended.Add(stored);
        return row;
    }

    // The lock, then the insert numbered after the last position and its NOTIFY (delivered at commit to every
    // replica's LogListener, with the position) as one round trip: the insert's snapshot is taken once the lock is
    // held, so it sees the previous holder's row — also a copy of this event that holder logged, in which case nothing
    // is inserted (null). The columns are event_log's (NotificationsDbContext).
    private static async Task<long?> InsertNumberedAsync(NotificationsDbContext db, LoggedEvent row, CancellationToken cancellationToken)
    {
        var transaction = db.Database.CurrentTransaction?.GetDbTransaction() as NpgsqlTransaction
            ?? throw new InvalidOperationException("The log is appended to in the caller's transaction");
        await using var batch = new NpgsqlBatch(transaction.Connection, transaction);
        batch.BatchCommands.Add(new NpgsqlBatchCommand($"SELECT pg_advisory_xact_lock({AppendLockKey})"));
        var insert = new NpgsqlBatchCommand(
            $"""
            WITH appended AS (
                INSERT INTO event_log (position, event_id, type, aggregate, aggregate_version, committee, committee_level,
                                       jurisdiction, event_time, appended_at, envelope)
                SELECT COALESCE((SELECT max(position) FROM event_log),
                                (SELECT purged_through FROM event_log_horizon WHERE id = $1), 0) + 1,
                       $2, $3, $4, $5, $6, $7, $8, $9, $10, $11
                WHERE NOT EXISTS (SELECT 1 FROM event_log WHERE event_id = $2)
                RETURNING position)
            SELECT position, pg_notify('{NotificationChannel}', position::text) FROM appended
            """);
        foreach (var value in new object[]
                 {
                     LogHorizon.SingletonId, row.EventId, row.Type, row.Aggregate, row.AggregateVersion, row.Committee,
                     row.CommitteeLevel, row.Jurisdiction, row.EventTime, row.AppendedAt, row.Envelope,
                 })
        {
            insert.Parameters.Add(new NpgsqlParameter { Value = value });
        }

        batch.BatchCommands.Add(insert);
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        await reader.NextResultAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? reader.GetInt64(0) : null;
    }

    /// <summary>Serialises a purge with appends across replicas until the caller's transaction ends; PostgreSQL only.</summary>
    internal static async Task LockAppendsAsync(NotificationsDbContext db, CancellationToken cancellationToken)
    {
        if (db.Database.IsNpgsql())
        {
            // The NOTIFY (without a position: nothing was appended) is delivered at commit, to every replica's LogListener.
            await db.Database.ExecuteSqlRawAsync(
                $"SELECT pg_advisory_xact_lock({AppendLockKey}); SELECT pg_notify('{NotificationChannel}', '')",
                cancellationToken);
        }
    }

    /// <summary>The last position ever given out (also when retention removed every row).</summary>
    public static async Task<long> LastPositionAsync(NotificationsDbContext db, CancellationToken cancellationToken) =>
        await db.Events.MaxAsync(e => (long?)e.Position, cancellationToken)
        ?? await PurgedThroughAsync(db, cancellationToken);

    /// <summary>The last position removed by retention (0 when nothing was).</summary>
    public static async Task<long> PurgedThroughAsync(NotificationsDbContext db, CancellationToken cancellationToken) =>
        await db.LogHorizons.Where(h => h.Id == LogHorizon.SingletonId).Select(h => (long?)h.PurgedThrough)
            .SingleOrDefaultAsync(cancellationToken) ?? 0;

    /// <summary>The next rows after <paramref name="afterPosition"/>, in order.</summary>
    public static Task<List<LoggedEvent>> ReadAfterAsync(
        NotificationsDbContext db, long afterPosition, int limit, CancellationToken cancellationToken) =>
        db.Events.AsNoTracking()
            .Where(e => e.Position > afterPosition)
            .OrderBy(e => e.Position)
            .Take(limit)
            .ToListAsync(cancellationToken);

    /// <summary>
    /// The next envelopes after <paramref name="afterPosition"/>, in order, as many as fit in
    /// <paramref name="maxBytes"/> (at least one): a page's memory is bounded by its size, not its count.
    /// </summary>
    public static async Task<LogPage> ReadPageAsync(
        NotificationsDbContext db, long afterPosition, int maxBytes, CancellationToken cancellationToken)
    {
        // Sizes first (a few bytes a row), then only the rows that fit.
        var sizes = await db.Events.AsNoTracking()
            .Where(e => e.Position > afterPosition)
            .OrderBy(e => e.Position)
            .Take(PageSizeProbe)
            .Select(e => new { e.Position, Size = e.Envelope.Length })
            .ToListAsync(cancellationToken);
        var count = 0;
        long bytes = 0;
        while (count < sizes.Count && (count == 0 || bytes + sizes[count].Size <= maxBytes))
        {
            bytes += sizes[count++].Size;
        }

        if (count == 0)
        {
            return new LogPage([], 0, ReachesEnd: true);
        }

        // Positions are visible in order: every row up to one seen is there (unless retention removed it since).
        var through = sizes[count - 1].Position;
        var rows = await db.Events.AsNoTracking()
            .Where(e => e.Position > afterPosition && e.Position <= through)
            .OrderBy(e => e.Position)
            .Select(e => new LoggedEnvelope(e.Position, e.Envelope))
            .ToListAsync(cancellationToken);
        return new LogPage(rows, bytes, ReachesEnd: count == sizes.Count && sizes.Count < PageSizeProbe);
    }

    /// <summary>The envelope as served: with its position.</summary>
    public static EventEnvelope ToEnvelope(this LoggedEvent row) => Decode(row.Position, row.Envelope);

    /// <summary>The envelope as served: with its position.</summary>
    public static EventEnvelope ToEnvelope(this LoggedEnvelope row) => Decode(row.Position, row.Envelope);

    private static EventEnvelope Decode(long position, byte[] encoded)
    {
        var envelope = EventEnvelope.Parser.ParseFrom(encoded);
        envelope.Position = position;
        return envelope;
    }

    /// <summary>
    /// OUT_OF_RANGE unless the events after <paramref name="afterPosition"/> are all still in the log
    /// (0 means the beginning of what is retained).
    /// </summary>
    public static async Task EnsureInRangeAsync(
        NotificationsDbContext db, long afterPosition, CancellationToken cancellationToken)
    {
        if (afterPosition == 0)
        {
            return;
        }

        var purgedThrough = await PurgedThroughAsync(db, cancellationToken);
        if (afterPosition < purgedThrough)
        {
            throw PositionOutOfRangeException.BeyondRetention(afterPosition, purgedThrough);
        }

        var last = await LastPositionAsync(db, cancellationToken);
        if (afterPosition > last)
        {
            throw PositionOutOfRangeException.AfterEnd(afterPosition, last);
        }
    }
}

/// <summary>A logged envelope's encoding and position, without the columns streams do not need.</summary>
public readonly record struct LoggedEnvelope(long Position, byte[] Envelope);

/// <summary>A page of the log: its envelopes, their encoded size, and whether it reached the log's end as read.</summary>
public sealed record LogPage(List<LoggedEnvelope> Rows, long Bytes, bool ReachesEnd);

using System.Diagnostics;
using Egov.Steering.Messaging.Tracing;
using Egov.Steering.Storage;
using Google.Protobuf;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Logging;

namespace Egov.Steering.Messaging.Inbox;

/// <summary>
/// A consumer that handles each message id once: the id is recorded in the consumer's own database transaction,
/// together with whatever the handler changes (including outbox rows it adds), so a redelivery after a crash or a
/// duplicate publish is acknowledged without running the handler again. A consumer that overrides
/// <see cref="OrderOf"/> also handles each aggregate's versions in order: an old version is a duplicate, and a
/// version that arrives before its predecessor is parked (<see cref="InboxParkedMessage"/>) and handled right after it.
/// A message that belongs to several ordered streams at once overrides <see cref="OrderingsOf"/> instead: it is
/// handled only once it is next in every one of them; one that must follow other aggregates' versions without being
/// part of them overrides <see cref="PrerequisitesOf"/>. A parked message is acknowledged to the broker, so however
/// many arrive early, none holds a delivery slot that its predecessor needs. Several queued messages can be handled
/// in one transaction (<see cref="ConsumeAllAsync"/>), each exactly as alone.
/// </summary>
public abstract partial class InboxConsumer<TContext, TMessage>(TContext db, MessagingMetrics metrics, ILogger logger)
    : IConsumer<TMessage>, IParkedMessageReleaser
    where TContext : DbContext
    where TMessage : class, IMessage<TMessage>, new()
{
    private static readonly MessageParser<TMessage> Parser = new(() => new TMessage());
    private static readonly ActivitySource Source = new(MessagingMetrics.MeterName);

    /// <summary>Transactions run at once for a message that lost a race on a position row, before the retry policy's turn.</summary>
    private const int PositionRaceAttempts = 5;

    /// <summary>The name the inbox records ids under; keep it stable across renames of the class.</summary>
    protected virtual string ConsumerName => GetType().Name;

    protected TContext Db => db;

    /// <summary>The aggregate and version of a message, for consumers that need each aggregate in order.</summary>
    protected virtual InboxOrdering? OrderOf(TMessage message) => null;

    /// <summary>Every stream a message is ordered in, with its version there; by default <see cref="OrderOf"/>'s one.</summary>
    protected virtual IReadOnlyList<InboxOrdering> OrderingsOf(TMessage message) => OrderOf(message) is { } order ? [order] : [];

    /// <summary>
    /// Versions of other aggregates that must have been handled before the message is (e.g. an outcome after every
    /// event it caused): until then it is parked as an early version is. It advances none of them.
    /// </summary>
    protected virtual IReadOnlyList<InboxOrdering> PrerequisitesOf(TMessage message) => [];

    /// <summary>Handles the message inside the inbox transaction; changes are saved and committed afterwards.</summary>
    protected abstract Task HandleAsync(TMessage message, CancellationToken cancellationToken);

    /// <summary>
    /// Runs <paramref name="action"/> once the handling has committed: for what must count only what happened (a
    /// transaction retried after a transient failure runs <see cref="HandleAsync"/> again).
    /// </summary>
    protected void AfterCommit(Action action) => _afterCommit.Add(action);

    private readonly List<Action> _afterCommit = [];

    public Task Consume(ConsumeContext<TMessage> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var messageId = context.MessageId ?? throw new InvalidOperationException($"{ConsumerName}: message without a MessageId");
        return ConsumeAsync(messageId, context.Message, context.CancellationToken);
    }

    /// <summary>
    /// Consumes the message together with the key's others delivered meanwhile (<see cref="KeyedBatches{TItem}"/>,
    /// <see cref="ConsumeAllAsync"/>): what a consumer registered with <c>AddBatchingConsumer</c> calls.
    /// </summary>
    public Task ConsumeBatchedAsync(ConsumeContext<TMessage> context, string key, KeyedBatches<ConsumeContext<TMessage>> batches)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(batches);
        return context.MessageId is null
            ? Consume(context)
            : batches.RunAsync(key, context, (queued, token) => ConsumeAllAsync([.. queued.Select(c => (c.MessageId!.Value, c.Message))], token), context.CancellationToken);
    }

    /// <summary>
    /// Handles several messages in one transaction, in the order given (a key's order), exactly as one after another
    /// would be, and returns each one's outcome (null when handled). If that transaction fails, each message is handled
    /// again on its own, so a message that cannot be handled fails alone. A key's queued messages so cost one unit of
    /// work instead of one each (see <see cref="KeyedBatches{TItem}"/>).
    /// </summary>
    public async Task<IReadOnlyList<Exception?>> ConsumeAllAsync(IReadOnlyList<(Guid MessageId, TMessage Message)> messages, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(messages);
        if (messages.Count > 1)
        {
            try
            {
                var steps = await HandleTogetherAsync(messages, cancellationToken);
                await ReleaseAfterAsync(messages.Select((m, i) => (m.Message, steps[i])), cancellationToken);
                return new Exception?[messages.Count];
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested)
            {
                LogBatchFailed(ConsumerName, messages.Count, e);
            }
        }

        var outcomes = new Exception?[messages.Count];
        for (var i = 0; i < messages.Count; i++)
        {
            try
            {
                await ConsumeAsync(messages[i].MessageId, messages[i].Message, cancellationToken);
            }
            catch (Exception e)
            {
                outcomes[i] = e;
            }
        }

        return outcomes;
    }

    private async Task ConsumeAsync(Guid messageId, TMessage message, CancellationToken cancellationToken) =>
        await ReleaseAfterAsync([(message, await HandleOnceAsync(messageId, message, fromParking: false, cancellationToken))], cancellationToken);

    /// <summary>
    /// Handles what the messages' steps made ready in their streams. Also after a duplicate: the copy handled before may
    /// have committed and then died before releasing. A message just parked moved no position, so it released nothing;
    /// one handled with nothing parked behind it neither, and then nothing is looked for.
    /// </summary>
    private Task ReleaseAfterAsync(IEnumerable<(TMessage Message, Step Step)> handled, CancellationToken cancellationToken) =>
        ReleaseParkedAsync([.. handled.Where(h => h.Step is Step.Duplicate or Step.HandleAheadOfParked)
            .SelectMany(h => OrderingsOf(h.Message)).Select(order => order.Aggregate).Distinct()], cancellationToken);

    private enum Step
    {
        Handle,

        /// <summary>Handled, and messages were parked behind one of its streams when it committed: a release is due.</summary>
        HandleAheadOfParked,
        Duplicate,
        Park,
    }

    /// <summary>Handles, parks or skips (a duplicate, or a parked row another replica took) one message in one transaction.</summary>
    private async Task<Step> HandleOnceAsync(Guid messageId, TMessage message, bool fromParking, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await InTransactionAsync(token => StepAsync(messageId, message, fromParking, token), cancellationToken);
            }
            catch (DbUpdateException e) when (attempt < PositionRaceAttempts && e.Entries.Any(entry => entry.Entity is InboxPosition))
            {
                // A version of one of its aggregates committed meanwhile (typically the one it was about to park for):
                // read again at once, not after the retry policy's first interval.
                LogPositionRace(ConsumerName, messageId);
            }
        }
    }

    /// <summary>The messages one after another in one transaction; a lost race on a position fails it whole.</summary>
    private Task<List<Step>> HandleTogetherAsync(IReadOnlyList<(Guid MessageId, TMessage Message)> messages, CancellationToken cancellationToken) =>
        InTransactionAsync(async token =>
        {
            var steps = new List<Step>(messages.Count);
            foreach (var (messageId, message) in messages)
            {
                steps.Add(await StepAsync(messageId, message, fromParking: false, token));
            }

            return steps;
        }, cancellationToken);

    /// <summary>Runs <paramref name="work"/> in a transaction of its own (again, on a transient failure) and commits it.</summary>
    private Task<T> InTransactionAsync<T>(Func<CancellationToken, Task<T>> work, CancellationToken cancellationToken)
    {
        var strategy = db.Database.CreateExecutionStrategy();
        return strategy.ExecuteAsync(async token =>
        {
            db.ChangeTracker.Clear();
            _afterCommit.Clear();
            await using var transaction = await db.Database.BeginTransactionAsync(token);
            var result = await work(token);
            await transaction.CommitAsync(token);
            _afterCommit.ForEach(action => action());
            return result;
        }, cancellationToken);
    }

    /// <summary>One message's step inside the current transaction; what it counts is counted once that commits.</summary>
    private async Task<Step> StepAsync(Guid messageId, TMessage message, bool fromParking, CancellationToken cancellationToken)
    {
        var (orders, prerequisites) = (OrderingsOf(message), PrerequisitesOf(message));
        var streams = orders.Concat(prerequisites).Select(o => o.Aggregate).Distinct().ToList();
        // A parked message's id is already recorded; taking its row is the claim (another replica may release it too).
        var claim = fromParking
            ? await ClaimParkedAsync(messageId, streams, cancellationToken)
            : await RecordAsync(messageId, streams, cancellationToken);
        if (claim is null)
        {
            AfterCommit(() => CountDuplicate(messageId));
            return Step.Duplicate;
        }

        var (step, waitsFor) = Advance(orders, prerequisites, claim);
        switch (step)
        {
            case Step.Duplicate:
                AfterCommit(() => CountDuplicate(messageId));
                return Step.Duplicate;
            case Step.Park:
                Park(messageId, message, waitsFor!);
                await db.SaveChangesAsync(cancellationToken);
                AfterCommit(() =>
                {
                    metrics.InboxGaps.Add(1, ConsumerTag);
                    LogParked(ConsumerName, messageId, waitsFor!.Aggregate, waitsFor.Version);
                });
                return Step.Park;
            default:
                await HandleAsync(message, cancellationToken);
                await db.SaveChangesAsync(cancellationToken);
                AfterCommit(() => metrics.InboxHandled.Add(1, ConsumerTag));
                return step;
        }
    }

    private KeyValuePair<string, object?> ConsumerTag => new("consumer", ConsumerName);

    private void CountDuplicate(Guid messageId)
    {
        metrics.InboxDuplicates.Add(1, ConsumerTag);
        LogDuplicate(ConsumerName, messageId);
    }

    /// <summary>
    /// Records the id and reads the positions of the message's <paramref name="streams"/>: null when the id was recorded
    /// before. The insert records nothing for an id handled before, nor for a copy being handled at this very moment (it
    /// waits for that transaction and finds the key once it commits). On PostgreSQL the insert and the read are one
    /// statement, so a message costs one round trip before its handler; its snapshot predates the wait for a copy,
    /// which a position written meanwhile turns into a failed concurrency check and a new attempt, as any race does.
    /// </summary>
    private async Task<StreamPositions?> RecordAsync(Guid messageId, List<string> streams, CancellationToken cancellationToken)
    {
        var (insert, parameters) = InboxInsert(messageId);
        if (streams.Count > 0 && db.Database.IsNpgsql())
        {
            var rows = await ReadPositionsAsync($"WITH recorded AS ({insert} RETURNING 1) ", parameters, "EXISTS (SELECT 1 FROM recorded)", streams, cancellationToken);
            return rows[0].Claimed ? Track(rows) : null;
        }

        // ON CONFLICT DO NOTHING runs on PostgreSQL and SQLite alike, and unlike a failed insert it does not abort the transaction.
        if (await db.Database.ExecuteSqlRawAsync(insert, parameters, cancellationToken) != 1)
        {
            return null;
        }

        return await PositionsAsync(streams, cancellationToken);
    }

    private async Task<StreamPositions?> ClaimParkedAsync(Guid messageId, List<string> streams, CancellationToken cancellationToken)
    {
        var claimed = await db.Set<InboxParkedMessage>().Where(m => m.Consumer == ConsumerName && m.MessageId == messageId).ExecuteDeleteAsync(cancellationToken) == 1;
        return claimed ? await PositionsAsync(streams, cancellationToken) : null;
    }

    /// <summary>The positions of <paramref name="streams"/> read on their own, once the message is claimed; no read for none.</summary>
    private async Task<StreamPositions> PositionsAsync(List<string> streams, CancellationToken cancellationToken) =>
        streams.Count == 0 ? StreamPositions.None : Track(await ReadPositionsAsync("", [], "TRUE", streams, cancellationToken));

    /// <summary>The insert of the id into the inbox: names from the model, values as parameters {0}-{2}.</summary>
    private (string Sql, object[] Parameters) InboxInsert(Guid messageId)
    {
        var inbox = Table<InboxMessage>();
        return ($"INSERT INTO {inbox.Name} ({inbox.Column(nameof(InboxMessage.Consumer))}, {inbox.Column(nameof(InboxMessage.MessageId))}, " +
            $"{inbox.Column(nameof(InboxMessage.HandledAt))}) VALUES ({{0}}, {{1}}, {{2}}) ON CONFLICT DO NOTHING",
            [ConsumerName, messageId, DateTime.UtcNow]);
    }

    /// <summary>
    /// The positions of <paramref name="streams"/>, each with whether messages are parked behind it, after
    /// <paramref name="prefix"/> (a statement the read joins, with its parameters first); one row with
    /// <see cref="PositionRow.Claimed"/> (<paramref name="claimed"/>) and no position when the read found none or the
    /// claim failed. What is parked is read with the positions: a message parking behind one of them meanwhile writes
    /// its position too, so one of the two transactions fails its concurrency check and reads again.
    /// </summary>
    private Task<List<PositionRow>> ReadPositionsAsync(
        string prefix, object[] prefixParameters, string claimed, List<string> streams, CancellationToken cancellationToken)
    {
        var (positions, parked) = (Table<InboxPosition>(), Table<InboxParkedMessage>());
        string P(string property) => "p." + positions.Column(property);
        var consumer = prefixParameters.Length;
        var aggregates = string.Join(", ", streams.Select((_, i) => $"{{{consumer + 1 + i}}}"));
        var sql = prefix +
            $"SELECT c.claimed AS {Alias(nameof(PositionRow.Claimed))}, {P(nameof(InboxPosition.Aggregate))} AS {Alias(nameof(PositionRow.Aggregate))}, " +
            $"{P(nameof(InboxPosition.Version))} AS {Alias(nameof(PositionRow.Version))}, {P(nameof(InboxPosition.UpdatedAt))} AS {Alias(nameof(PositionRow.Written))}, " +
            $"EXISTS (SELECT 1 FROM {parked.Name} AS m WHERE m.{parked.Column(nameof(InboxParkedMessage.Consumer))} = {P(nameof(InboxPosition.Consumer))} " +
            $"AND m.{parked.Column(nameof(InboxParkedMessage.Aggregate))} = {P(nameof(InboxPosition.Aggregate))}) AS {Alias(nameof(PositionRow.Parked))} " +
            $"FROM (SELECT {claimed} AS claimed) AS c LEFT JOIN {positions.Name} AS p ON c.claimed " +
            $"AND {P(nameof(InboxPosition.Consumer))} = {{{consumer}}} AND {P(nameof(InboxPosition.Aggregate))} IN ({aggregates})";
        return db.Database.SqlQueryRaw<PositionRow>(sql, [.. prefixParameters, ConsumerName, .. streams]).ToListAsync(cancellationToken);
    }

    private string Alias(string name) => db.GetService<ISqlGenerationHelper>().DelimitIdentifier(name);

    /// <summary>The positions read, tracked (those this unit of work already tracks as they are there), with whether messages are parked behind them.</summary>
    private StreamPositions Track(List<PositionRow> rows)
    {
        var tracked = new Dictionary<string, InboxPosition>(StringComparer.Ordinal);
        var parkedBehind = new HashSet<string>(StringComparer.Ordinal);
        using var paused = db.ChangeTracker.PauseDetection();
        foreach (var row in rows.Where(r => r.Aggregate is not null))
        {
            var position = db.Set<InboxPosition>().Local.FindEntryUntyped([ConsumerName, row.Aggregate!])?.Entity;
            if (position is null)
            {
                // Stored in UTC; a row of an unmapped type gets none of the model's converters, and SQLite keeps no kind.
                var written = DateTime.SpecifyKind(row.Written!.Value, DateTimeKind.Utc);
                position = new InboxPosition { Consumer = ConsumerName, Aggregate = row.Aggregate!, Version = row.Version!.Value, UpdatedAt = written };
                db.Attach(position);
            }

            tracked.Add(position.Aggregate, position);
            if (row.Parked == true)
            {
                parkedBehind.Add(position.Aggregate);
            }
        }

        return new StreamPositions(tracked, parkedBehind);
    }

    /// <summary>The tracked positions of a message's streams, by aggregate, and those with messages parked behind them.</summary>
    private sealed record StreamPositions(Dictionary<string, InboxPosition> Positions, HashSet<string> ParkedBehind)
    {
        public static StreamPositions None => new([], []);
    }

    /// <summary>
    /// Whether the message is next in each of its streams with its prerequisites met (and if so, moves its positions,
    /// and says whether messages are parked behind them); otherwise the version it must wait for (as the version after
    /// which it is ready).
    /// </summary>
    private (Step Step, InboxOrdering? WaitsFor) Advance(IReadOnlyList<InboxOrdering> orders, IReadOnlyList<InboxOrdering> prerequisites, StreamPositions read)
    {
        if (orders.Count == 0 && prerequisites.Count == 0)
        {
            return (Step.Handle, null);
        }

        var positions = read.Positions;
        long Handled(InboxOrdering order) => positions.GetValueOrDefault(order.Aggregate)?.Version ?? 0;

        // A version belongs to one message only, so one position already past it means this message was handled.
        if (orders.Any(order => order.Version <= Handled(order)))
        {
            return (Step.Duplicate, null);
        }

        var waitsFor = orders.FirstOrDefault(order => order.Version > Handled(order) + 1) is { } gap
            ? gap with { Version = gap.Version - 1 }
            : prerequisites.FirstOrDefault(prerequisite => prerequisite.Version > Handled(prerequisite));
        var now = DateTime.UtcNow;
        if (waitsFor is not null)
        {
            // Written even though it does not move: a predecessor committing meanwhile makes this transaction fail its
            // concurrency check and run again (then it finds the predecessor handled), so no message is parked after
            // the release it was waiting for has already looked.
            Touch(positions, waitsFor.Aggregate, now);
            return (Step.Park, waitsFor);
        }

        foreach (var order in orders)
        {
            Touch(positions, order.Aggregate, now).Version = order.Version;
        }

        var parkedBehind = orders.Any(order => read.ParkedBehind.Contains(order.Aggregate));
        return (parkedBehind ? Step.HandleAheadOfParked : Step.Handle, null);
    }

    /// <summary>A table of the model: its delimited name and columns.</summary>
    private StoreTable Table<T>()
    {
        var entity = db.Model.FindEntityType(typeof(T))!;
        var table = StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
        return new StoreTable(db.GetService<ISqlGenerationHelper>(), entity, table);
    }

    private sealed class StoreTable(ISqlGenerationHelper sql, IEntityType entity, StoreObjectIdentifier table)
    {
        public string Name => sql.DelimitIdentifier(table.Name, table.Schema);

        public string Column(string property) => sql.DelimitIdentifier(entity.FindProperty(property)!.GetColumnName(table)!);
    }

    /// <summary>
    /// A row of <see cref="ReadPositionsAsync"/>: the claim, and one position (none when all are null). One-word names:
    /// the model's naming convention renames the columns of an unmapped type (EF matches them ignoring case).
    /// </summary>
    private sealed class PositionRow
    {
        public bool Claimed { get; set; }

        public string? Aggregate { get; set; }

        public long? Version { get; set; }

        /// <summary>The position's <see cref="InboxPosition.UpdatedAt"/>.</summary>
        public DateTime? Written { get; set; }

        public bool? Parked { get; set; }
    }

    private InboxPosition Touch(Dictionary<string, InboxPosition> positions, string aggregate, DateTime now)
    {
        if (!positions.TryGetValue(aggregate, out var position))
        {
            position = new InboxPosition { Consumer = ConsumerName, Aggregate = aggregate };
            positions.Add(aggregate, position);
            db.Add(position);
        }

        position.UpdatedAt = now;
        return position;
    }

    private void Park(Guid messageId, TMessage message, InboxOrdering waitsFor)
    {
        var trace = TraceContext.Current;
        db.Add(new InboxParkedMessage
        {
            Consumer = ConsumerName,
            MessageId = messageId,
            Aggregate = waitsFor.Aggregate,
            ReadyAtVersion = waitsFor.Version,
            Body = message.ToByteArray(),
            TraceParent = trace?.TraceParent,
            TraceState = trace?.TraceState,
            ParkedAt = DateTime.UtcNow,
        });
    }

    /// <summary>
    /// Every parked message that is ready but still parked: its releaser died between its commit and the release, or
    /// its own handling failed. Run periodically (<see cref="ParkedMessageRelease{TConsumer}"/>).
    /// </summary>
    Task IParkedMessageReleaser.ReleaseReadyAsync(CancellationToken cancellationToken) => ReleaseParkedAsync(null, cancellationToken);

    /// <summary>
    /// Handles the parked messages that versions of <paramref name="aggregates"/> (null: of any aggregate) have made
    /// ready, and theirs in turn. A parked message that fails stays parked for the next sweep: it does not fail the
    /// message that released it, which has committed.
    /// </summary>
    private async Task ReleaseParkedAsync(IReadOnlyCollection<string>? aggregates, CancellationToken cancellationToken)
    {
        while (aggregates is null || aggregates.Count > 0)
        {
            var candidates = db.Set<InboxParkedMessage>().Where(parked => parked.Consumer == ConsumerName);
            if (aggregates is not null)
            {
                candidates = candidates.Where(parked => aggregates.Contains(parked.Aggregate));
            }

            var ready = await (
                from parked in candidates
                join position in db.Set<InboxPosition>()
                    on new { parked.Consumer, parked.Aggregate } equals new { position.Consumer, position.Aggregate }
                where parked.ReadyAtVersion <= position.Version
                orderby parked.Aggregate, parked.ReadyAtVersion
                select new { parked.MessageId, parked.Body, parked.TraceParent, parked.TraceState })
                .AsNoTracking()
                .ToListAsync(cancellationToken);

            var advanced = new HashSet<string>(StringComparer.Ordinal);
            foreach (var parked in ready)
            {
                var message = Parser.ParseFrom(parked.Body);
                using var activity = TraceContext.StartActivity(Source, $"{ConsumerName} release", ActivityKind.Internal, parked.TraceParent, parked.TraceState);
                try
                {
                    var step = await HandleOnceAsync(parked.MessageId, message, fromParking: true, cancellationToken);
                    if (step is Step.Handle or Step.HandleAheadOfParked)
                    {
                        LogReleased(ConsumerName, parked.MessageId);
                    }

                    if (step == Step.HandleAheadOfParked)
                    {
                        advanced.UnionWith(OrderingsOf(message).Select(order => order.Aggregate));
                    }
                }
                catch (Exception e) when (!cancellationToken.IsCancellationRequested)
                {
                    activity?.SetStatus(ActivityStatusCode.Error, e.Message);
                    LogReleaseFailed(ConsumerName, parked.MessageId, e);
                }
            }

            aggregates = advanced;
        }
    }

    [LoggerMessage(LogLevel.Debug, "{Consumer} skipped message {MessageId}: already handled")]
    private partial void LogDuplicate(string consumer, Guid messageId);

    [LoggerMessage(LogLevel.Information, "{Consumer} parked message {MessageId} until {Aggregate} v{Version} has been handled")]
    private partial void LogParked(string consumer, Guid messageId, string aggregate, long version);

    [LoggerMessage(LogLevel.Debug, "{Consumer} ran message {MessageId} again: a version it depends on committed meanwhile")]
    private partial void LogPositionRace(string consumer, Guid messageId);

    [LoggerMessage(LogLevel.Error, "{Consumer} failed to handle parked message {MessageId}; it stays parked and is tried again at the next sweep")]
    private partial void LogReleaseFailed(string consumer, Guid messageId, Exception exception);

    [LoggerMessage(LogLevel.Warning, "{Consumer} failed to handle {Count} queued messages in one transaction; handling each on its own")]
    private partial void LogBatchFailed(string consumer, int count, Exception exception);

    [LoggerMessage(LogLevel.Debug, "{Consumer} handled parked message {MessageId}")]
    private partial void LogReleased(string consumer, Guid messageId);
}

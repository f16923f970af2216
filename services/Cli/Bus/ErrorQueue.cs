using System.Diagnostics;
using System.Text;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace Egov.Steering.Cli.Bus;

/// <summary>One message waiting in an error queue, with what MassTransit recorded about its last failure.</summary>
public sealed record FailedMessage(
    string? MessageId,
    string? ContentType,
    string? MessageType,
    string? EventType,
    string? FaultExceptionType,
    string? FaultMessage,
    string? FaultTimestamp,
    int BodyLength);

/// <summary>
/// Reads and replays the <c>&lt;queue&gt;_error</c> queue MassTransit moves a message to once its retries and
/// redeliveries are exhausted. Replay sends the message straight back to <c>&lt;queue&gt;</c> (the default exchange,
/// so no other subscriber sees it twice) with its body and headers, less the fault headers of the failure, and only
/// removes it from the error queue once the broker has confirmed the copy. A broker that blocks publishers (a memory or
/// disk alarm) answers nothing: every wait for the broker is bounded by <paramref name="timeout"/> (default
/// <see cref="DefaultTimeout"/>), and a copy left unconfirmed that long ends the replay with
/// <see cref="ReplayUnconfirmedException"/>, its message still in the error queue. A queue the broker cannot serve for
/// the moment (541, see <see cref="WhileTheQueueStartsAsync{T}"/>) is tried again for as long.
/// </summary>
public sealed class ErrorQueue(Uri rabbitMqUri, string queue, TimeSpan? timeout = null)
{
    private const string FaultHeaderPrefix = "MT-Fault-";
    private const string ReasonHeader = "MT-Reason";

    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(20);

    private static readonly TimeSpan RetryDelay = TimeSpan.FromMilliseconds(200);

    private readonly TimeSpan _timeout = timeout ?? DefaultTimeout;

    public string Queue { get; } = queue;

    public string ErrorQueueName { get; } = queue + "_error";

    public Task<IReadOnlyList<FailedMessage>> ListAsync(int limit, CancellationToken cancellationToken) =>
        WhileTheQueueStartsAsync(connection => ListAsync(connection, limit, cancellationToken), cancellationToken);

    /// <summary>Moves the matching messages (all when <paramref name="messageId"/> is null) back; returns how many.</summary>
    public async Task<int> ReplayAsync(string? messageId, CancellationToken cancellationToken)
    {
        // Counted across attempts: what an interrupted attempt moved and acknowledged has left the error queue.
        var replayed = 0;
        return await WhileTheQueueStartsAsync(ReplayPendingAsync, cancellationToken);

        async Task<int> ReplayPendingAsync(IConnection connection)
        {
            if (!await ErrorQueueExistsAsync(connection, cancellationToken))
            {
                return replayed;
            }

            await using var channel = await connection.CreateChannelAsync(
                new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true),
                cancellationToken);

            // Only the messages present at the first get: a replayed message that fails again must not be replayed in
            // this same run. Counted by the get, not by a passive declare: a quorum queue without its leader declares
            // 0 messages, where its get fails and is tried again.
            uint? pending = null;
            var skipped = new List<ulong>();
            for (var seen = 0u; pending is null || seen < pending; seen++)
            {
                if (await channel.BasicGetAsync(ErrorQueueName, autoAck: false, cancellationToken) is not { } result)
                {
                    break;
                }

                pending ??= result.MessageCount + 1;

                if (messageId is not null && result.BasicProperties.MessageId != messageId)
                {
                    skipped.Add(result.DeliveryTag);
                    continue;
                }

                using (var confirmed = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
                {
                    confirmed.CancelAfter(_timeout);
                    try
                    {
                        await channel.BasicPublishAsync(
                            exchange: "", routingKey: Queue, mandatory: true, WithoutFaultHeaders(result.BasicProperties), result.Body, confirmed.Token);
                    }
                    catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                    {
                        // Unacknowledged, the message goes back to the error queue when the connection ends. Aborted: a
                        // blocked broker reads nothing, so a polite close would wait for an answer that does not come.
                        await connection.AbortAsync(CancellationToken.None);
                        throw new ReplayUnconfirmedException(result.BasicProperties.MessageId, replayed, _timeout);
                    }
                }

                await channel.BasicAckAsync(result.DeliveryTag, multiple: false, cancellationToken);
                replayed++;
            }

            foreach (var tag in skipped)
            {
                await channel.BasicNackAsync(tag, multiple: false, requeue: true, cancellationToken);
            }

            return replayed;
        }
    }

    /// <summary>
    /// Runs <paramref name="operation"/> on a new connection, again while the broker answers it with an internal error
    /// (541), for at most the timeout. A quorum queue has no process while it elects its leader (just declared by
    /// MassTransit's first failure, or after a broker restart), and RabbitMQ answers a basic.get then with 541 "noproc"
    /// and closes the connection: a transient state of the broker, not the operator's mistake.
    /// </summary>
    private async Task<T> WhileTheQueueStartsAsync<T>(Func<IConnection, Task<T>> operation, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        while (true)
        {
            try
            {
                await using var connection = await Connect(cancellationToken);
                try
                {
                    return await operation(connection);
                }
                catch (ObjectDisposedException) when (connection.CloseReason is { } closed)
                {
                    // RabbitMQ.Client 7 can return a connection the broker closed while it opened (a refused virtual
                    // host, 530): its first channel then finds it disposed. The broker's reason is the answer.
                    throw new OperationInterruptedException(closed);
                }
            }
            catch (OperationInterruptedException exception)
                when (exception.ShutdownReason?.ReplyCode == Constants.InternalError && Stopwatch.GetElapsedTime(started) < _timeout)
            {
                await Task.Delay(RetryDelay, cancellationToken);
            }
        }
    }

    private async Task<IReadOnlyList<FailedMessage>> ListAsync(IConnection connection, int limit, CancellationToken cancellationToken)
    {
        if (!await ErrorQueueExistsAsync(connection, cancellationToken))
        {
            return [];
        }

        await using var channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken);
        var messages = new List<FailedMessage>();
        ulong lastTag = 0;
        while (messages.Count < limit && await channel.BasicGetAsync(ErrorQueueName, autoAck: false, cancellationToken) is { } result)
        {
            messages.Add(Describe(result));
            lastTag = result.DeliveryTag;
        }

        // Reading is not consuming: every message goes back to the error queue.
        if (lastTag != 0)
        {
            await channel.BasicNackAsync(lastTag, multiple: true, requeue: true, cancellationToken);
        }

        return messages;
    }

    /// <summary>
    /// MassTransit creates the error queue with the first failure, so a missing one means nothing failed yet; a
    /// missing consumer queue is the operator's mistake and fails (404) with the broker's reason.
    /// </summary>
    private async Task<bool> ErrorQueueExistsAsync(IConnection connection, CancellationToken cancellationToken)
    {
        await using (var channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken))
        {
            await channel.QueueDeclarePassiveAsync(Queue, cancellationToken);
        }

        try
        {
            await using var channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken);
            await channel.QueueDeclarePassiveAsync(ErrorQueueName, cancellationToken);
            return true;
        }
        catch (OperationInterruptedException exception) when (exception.ShutdownReason?.ReplyCode == Constants.NotFound)
        {
            return false;
        }
    }

    private Task<IConnection> Connect(CancellationToken cancellationToken) =>
        new ConnectionFactory { Uri = rabbitMqUri, ClientProvidedName = "steeringctl", ContinuationTimeout = _timeout }
            .CreateConnectionAsync(cancellationToken);

    private static BasicProperties WithoutFaultHeaders(IReadOnlyBasicProperties original)
    {
        var properties = new BasicProperties(original);
        if (original.Headers is not null)
        {
            properties.Headers = original.Headers
                .Where(header => !header.Key.StartsWith(FaultHeaderPrefix, StringComparison.Ordinal) && header.Key != ReasonHeader)
                .ToDictionary(header => header.Key, header => header.Value);
        }

        return properties;
    }

    private static FailedMessage Describe(BasicGetResult result)
    {
        var properties = result.BasicProperties;
        return new FailedMessage(
            properties.MessageId,
            properties.ContentType,
            Header(properties, "MT-MessageType"),
            Header(properties, "cloudEvents:type"),
            Header(properties, FaultHeaderPrefix + "ExceptionType"),
            Header(properties, FaultHeaderPrefix + "Message"),
            Header(properties, FaultHeaderPrefix + "Timestamp"),
            result.Body.Length);
    }

    // RabbitMQ.Client hands string headers back as UTF-8 bytes.
    private static string? Header(IReadOnlyBasicProperties properties, string name) =>
        properties.Headers?.TryGetValue(name, out var value) == true
            ? value switch
            {
                byte[] bytes => Encoding.UTF8.GetString(bytes),
                null => null,
                _ => value.ToString(),
            }
            : null;
}

/// <summary>The broker did not confirm a replayed copy in time; what was replayed before it stays replayed.</summary>
public sealed class ReplayUnconfirmedException(string? messageId, int replayed, TimeSpan timeout)
    : Exception($"The broker did not confirm the copy of message {messageId ?? "(no id)"} within {timeout.TotalSeconds:0.#} s " +
        "(a broker blocking publishers under a memory or disk alarm confirms nothing): it stays in the error queue, " +
        $"and its consumer handles it once should the copy still arrive; {replayed} message(s) moved before it.");

using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace Egov.Steering.Messaging;

/// <summary>
/// Whether the broker registers a consumer now on a queue of the type the service's consumers have: a quorum queue
/// whose nodes lost their majority keeps answering declarations but leaves every new consume unanswered, so neither a
/// restarted endpoint nor a restarted process could consume from it (<see cref="ConsumerWatchdog"/>). The probe is a
/// queue of its own (<c>&lt;EndpointPrefix-&gt;consumer-probe</c>, declared like the consumers' queues, never published
/// to), so a probe takes no message from the service's queues.
/// </summary>
internal sealed partial class ConsumerProbe(IOptions<MessagingOptions> options, ILogger<ConsumerProbe> logger)
{
    /// <summary>How long a consume may go unanswered before the broker counts as taking none.</summary>
    private static readonly TimeSpan AnswerTimeout = TimeSpan.FromSeconds(5);

    private readonly string queue = options.Value.QueueNamePrefix + "consumer-probe";

    private readonly Dictionary<string, object?> arguments = QueueArguments(options.Value);

    /// <summary>
    /// False when the broker leaves a consume on the probe unanswered; true when it registers it, and when the probe
    /// cannot tell (its queue refused: the checks go on as without it).
    /// </summary>
    public async Task<bool> TakesConsumerAsync(IConnection connection, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(AnswerTimeout);
        var channel = await connection.CreateChannelAsync(cancellationToken: timeout.Token);
        try
        {
            await channel.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false, arguments, cancellationToken: timeout.Token);
            var tag = await channel.BasicConsumeAsync(queue, autoAck: true, new AsyncDefaultBasicConsumer(channel), timeout.Token);
            await channel.BasicCancelAsync(tag, cancellationToken: timeout.Token);
            return true;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }
        catch (OperationInterruptedException e) when (e.ShutdownReason?.ReplyCode is Constants.AccessRefused or Constants.PreconditionFailed)
        {
            LogProbeRefused(queue, e.ShutdownReason.ReplyText);
            return true;
        }
        finally
        {
            await CloseAsync(channel);
        }
    }

    /// <summary>The consumers' queue type, and their replication factor when one is set (the broker's default otherwise).</summary>
    private static Dictionary<string, object?> QueueArguments(MessagingOptions options)
    {
        if (options.QueueType != RabbitMqQueueType.Quorum)
        {
            return [];
        }

        var quorum = new Dictionary<string, object?> { ["x-queue-type"] = "quorum" };
        if (options.QuorumReplicationFactor is { } replicas)
        {
            quorum["x-quorum-initial-group-size"] = replicas;
        }

        return quorum;
    }

    /// <summary>Closes the probe's channel, waiting at most <see cref="AnswerTimeout"/>: its close may queue behind the unanswered consume.</summary>
    private static async Task CloseAsync(IChannel channel)
    {
        using var timeout = new CancellationTokenSource(AnswerTimeout);
        try
        {
            await channel.CloseAsync(Constants.ReplySuccess, "probe done", abort: true, timeout.Token);
        }
        catch (OperationCanceledException)
        {
            // Left to the connection: the watchdog's next failure closes it.
        }

        channel.Dispose();
    }

    [LoggerMessage(LogLevel.Warning, "The broker refused the consumer probe's queue {Queue} ({Reason}): the consumer checks cannot tell a broker that takes no consumer from a lost one")]
    private partial void LogProbeRefused(string queue, string reason);
}

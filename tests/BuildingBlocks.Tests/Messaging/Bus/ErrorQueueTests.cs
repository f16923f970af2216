using System.CommandLine;
using Egov.Steering.Cli.Bus;
using Egov.Steering.Cli.Commands;
using Egov.Steering.Cli.Remote;
using Egov.Steering.Events.V1;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using RabbitMQ.Client;
using Egov.Steering.TestSupport;

namespace Egov.Steering.BuildingBlocks.Tests.Messaging.Bus;

/// <summary>Messages that keep failing wait in the _error queue until an operator replays them with steeringctl.</summary>
public sealed class ErrorQueueTests
{
    [Fact]
    public async Task Failing_message_lands_in_the_error_queue_and_the_replay_command_brings_it_back_to_be_consumed()
    {
        await using var bus = await TestBus.StartAsync(x => x.AddConsumer<FailingConsumer>());
        var outage = bus.Services.GetRequiredService<Outage>();
        var envelope = TestBus.NewEvent();
        outage.EventId = envelope.Id;
        var messageId = NewId.NextGuid();
        var queue = bus.QueueOf<FailingConsumer>();

        await bus.Bus.Publish(envelope, context => context.MessageId = messageId);
        var failed = await WaitInErrorQueueAsync(queue, messageId.ToString());

        Assert.Equal("System.InvalidOperationException", failed.FaultExceptionType);
        Assert.Equal("the committee register is unavailable", failed.FaultMessage);
        var (listed, listOutput) = await SteeringctlAsync("bus", "errors", "list", "--queue", queue);
        Assert.True(listed == 0, listOutput);
        Assert.Contains(messageId.ToString(), listOutput);
        Assert.Contains($"1 message(s) in {queue}_error", listOutput);

        outage.Down = false;
        var (replayed, replayOutput) = await SteeringctlAsync(
            "bus", "errors", "replay", "--queue", queue, "--message-id", messageId.ToString());

        Assert.True(replayed == 0, replayOutput);
        Assert.Contains("1 message(s) moved", replayOutput);
        var consumed = await bus.Deliveries.WaitAsync<ReceivedEvent>(envelope.Id);
        Assert.Equal(envelope, consumed.Message);
        Assert.Equal(messageId, consumed.MessageId);
        Assert.Equal(envelope.Id, consumed.Headers["cloudEvents:id"]);
        Assert.DoesNotContain(consumed.Headers.Keys, key => key.StartsWith("MT-Fault-", StringComparison.Ordinal));
        Assert.DoesNotContain(
            await new ErrorQueue(TestInfrastructure.RabbitMqUri, queue).ListAsync(1000, CancellationToken.None),
            message => message.MessageId == messageId.ToString());
    }

    [Fact]
    public async Task Message_of_an_unknown_protobuf_type_goes_to_the_error_queue_with_a_clear_reason_and_the_bus_keeps_working()
    {
        await using var bus = await TestBus.StartAsync(x => x.AddConsumer<RecordingConsumer>());
        var queue = bus.QueueOf<RecordingConsumer>();
        var messageId = Guid.NewGuid().ToString();
        await using (var connection = await new ConnectionFactory { Uri = TestInfrastructure.RabbitMqUri }.CreateConnectionAsync())
        await using (var channel = await connection.CreateChannelAsync())
        {
            var properties = new BasicProperties
            {
                MessageId = messageId,
                ContentType = "application/protobuf; proto=egov.steering.unknown.v1.Surprise",
                Persistent = true,
            };
            await channel.BasicPublishAsync("", queue, mandatory: true, properties, new byte[] { 0x0A, 0x01, 0x41 });
        }

        var failed = await WaitInErrorQueueAsync(queue, messageId);

        Assert.Contains("Unknown protobuf message type 'egov.steering.unknown.v1.Surprise'", failed.FaultMessage);
        var envelope = TestBus.NewEvent();
        await bus.Bus.Publish(envelope);
        Assert.Equal(envelope, (await bus.Deliveries.WaitAsync<ReceivedEvent>(envelope.Id)).Message);
    }

    [Fact]
    public async Task Replay_needs_exactly_one_of_message_id_or_all()
    {
        var (exitCode, output) = await SteeringctlAsync("bus", "errors", "replay", "--queue", "membership-decision-issued");

        Assert.NotEqual(0, exitCode);
        Assert.Contains("Give exactly one of --message-id or --all.", output);
    }

    [Fact]
    public Task Replay_on_a_broker_blocking_publishers_gives_up_after_the_timeout_and_leaves_the_message_in_the_error_queue() =>
        OnOwnBrokerWithAFailedMessageAsync("replay-blocked", QueueType.Classic, async (broker, queue, messageId) =>
        {
            // A memory alarm: the broker stops taking what publishers send, so it confirms nothing.
            await broker.CtlAsync("set_vm_memory_high_watermark", "0");
            var (exitCode, output) = await SteeringctlAsync(
                broker.Uri, "bus", "errors", "replay", "--queue", queue, "--all", "--timeout", "00:00:02");

            Assert.True(exitCode == ExitCodes.Unavailable, output);
            Assert.Contains($"did not confirm the copy of message {messageId} within 2 s", output);
            await broker.CtlAsync("set_vm_memory_high_watermark", "0.4");
            Assert.Contains(await new ErrorQueue(broker.Uri, queue).ListAsync(10, CancellationToken.None), message => message.MessageId == messageId);
        });

    [Fact]
    public Task List_and_replay_wait_for_a_quorum_error_queue_electing_its_leader_instead_of_failing() =>
        OnOwnBrokerWithAFailedMessageAsync("error-queue-starting", QueueType.Quorum, async (broker, queue, messageId) =>
        {
            var errorQueue = new ErrorQueue(broker.Uri, queue);

            // Until its Ra server runs again the queue has no process: RabbitMQ answers basic.get with 541 "noproc",
            // as it does while MassTransit's first failure declares the queue or after a broker restart.
            var listing = WhileStoppedAsync(broker, errorQueue.ErrorQueueName, () => errorQueue.ListAsync(10, CancellationToken.None));
            Assert.Contains(await listing, message => message.MessageId == messageId);

            var replay = WhileStoppedAsync(broker, errorQueue.ErrorQueueName, () => errorQueue.ReplayAsync(messageId, CancellationToken.None));
            Assert.Equal(1, await replay);
            Assert.Empty(await errorQueue.ListAsync(10, CancellationToken.None));
        });

    [Fact]
    public async Task Unknown_queue_and_unknown_message_exit_not_found_and_say_where_to_look()
    {
        var queue = $"test-{Guid.NewGuid():N}";
        var (listed, listOutput) = await SteeringctlAsync("bus", "errors", "list", "--queue", queue);

        Assert.True(listed == ExitCodes.NotFound, listOutput);
        Assert.Contains($"No such queue: NOT_FOUND - no queue '{queue}'", listOutput);

        var messageId = await FailedMessageAsync(TestInfrastructure.RabbitMqUri, queue, QueueType.Classic);
        try
        {
            var unknown = Guid.NewGuid().ToString();
            var (replayed, replayOutput) = await SteeringctlAsync("bus", "errors", "replay", "--queue", queue, "--message-id", unknown);

            Assert.True(replayed == ExitCodes.NotFound, replayOutput);
            Assert.Contains($"No message {unknown} in {queue}_error: `steeringctl bus errors list --queue {queue}` lists its messages.", replayOutput);
            Assert.Contains(await new ErrorQueue(TestInfrastructure.RabbitMqUri, queue).ListAsync(10, CancellationToken.None), message => message.MessageId == messageId);
        }
        finally
        {
            await using var connection = await new ConnectionFactory { Uri = TestInfrastructure.RabbitMqUri }.CreateConnectionAsync();
            await using var channel = await connection.CreateChannelAsync();
            await channel.QueueDeleteAsync(queue);
            await channel.QueueDeleteAsync(queue + "_error");
        }
    }

    [Fact]
    public async Task A_broker_that_cannot_be_reached_exits_unavailable_naming_it_without_its_password()
    {
        var port = TestInfrastructure.FreeRabbitMqPort();
        var (exitCode, output) = await SteeringctlAsync(
            new Uri($"amqp://guest:hush-hush@127.0.0.1:{port}/"), "bus", "errors", "list", "--queue", "membership-decision-issued");

        Assert.True(exitCode == ExitCodes.Unavailable, output);
        Assert.Contains($"RabbitMQ at amqp://127.0.0.1:{port} cannot be reached", output);
        Assert.DoesNotContain("hush-hush", output);
    }

    [Fact]
    public async Task A_refused_login_exits_not_allowed_naming_the_user_without_the_password()
    {
        var broker = TestInfrastructure.RabbitMqUri;
        var wrongPassword = new UriBuilder(broker) { Password = "hush-hush" }.Uri;
        var (refused, refusedOutput) = await SteeringctlAsync(wrongPassword, "bus", "errors", "list", "--queue", "membership-decision-issued");

        Assert.True(refused == ExitCodes.NotAllowed, refusedOutput);
        Assert.Contains($"refused the login of user '{broker.UserInfo.Split(':')[0]}'", refusedOutput);
        Assert.Contains("check the user and password", refusedOutput);
        Assert.DoesNotContain("hush-hush", refusedOutput);
    }

    [Fact]
    public async Task A_refused_virtual_host_exits_not_allowed_naming_it_whichever_way_the_client_learns_of_it()
    {
        // RabbitMQ refuses the virtual host after the login (530), and the client learns of it either while connecting
        // or from the closed connection at its first channel: each run must end the same way.
        var broker = TestInfrastructure.RabbitMqUri;
        var unknownVirtualHost = new UriBuilder(broker) { Path = "/no-such-vhost" }.Uri;
        for (var run = 0; run < 8; run++)
        {
            var (refused, output) = await SteeringctlAsync(unknownVirtualHost, "bus", "errors", "list", "--queue", "membership-decision-issued");

            Assert.True(refused == ExitCodes.NotAllowed, output);
            Assert.Contains($"refused user '{broker.UserInfo.Split(':')[0]}' the virtual host 'no-such-vhost'", output);
            Assert.DoesNotContain("   at ", output);
        }
    }

    private enum QueueType
    {
        Classic,
        Quorum,
    }

    /// <summary>
    /// Runs <paramref name="test"/> (broker, queue, message id) on a broker of its own whose queue <paramref name="name"/>
    /// has one failed message waiting in its error queue.
    /// </summary>
    private static async Task OnOwnBrokerWithAFailedMessageAsync(string name, QueueType errorQueueType, Func<PrivateBroker, string, string, Task> test)
    {
        var broker = new PrivateBroker(name, TestInfrastructure.FreeRabbitMqPort());
        await broker.StartAsync();
        try
        {
            await test(broker, name, await FailedMessageAsync(broker.Uri, name, errorQueueType));
        }
        finally
        {
            await broker.StopAsync();
        }
    }

    /// <summary>A consumer's queue and its error queue holding one failed message, as MassTransit leaves them.</summary>
    private static async Task<string> FailedMessageAsync(Uri broker, string queue, QueueType errorQueueType)
    {
        var messageId = Guid.NewGuid().ToString();
        await using var connection = await new ConnectionFactory { Uri = broker }.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        await channel.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false);
        await channel.QueueDeclareAsync(
            queue + "_error", durable: true, exclusive: false, autoDelete: false,
            arguments: new Dictionary<string, object?> { ["x-queue-type"] = errorQueueType.ToString().ToLowerInvariant() });
        await channel.BasicPublishAsync(
            "", queue + "_error", mandatory: true, new BasicProperties { MessageId = messageId, Persistent = true }, new byte[] { 0x0A, 0x01, 0x41 });
        return messageId;
    }

    /// <summary>Runs <paramref name="operation"/> while the quorum queue's Ra server is stopped, restarting it a second later.</summary>
    private static async Task<T> WhileStoppedAsync<T>(PrivateBroker broker, string quorumQueue, Func<Task<T>> operation)
    {
        var server = $"{{'%2F_{quorumQueue}', node()}}";
        await broker.CtlAsync("eval", $"ok = ra:stop_server(quorum_queues, {server}).");
        var running = operation();
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.False(running.IsCompleted, "the operation ended while its queue had no process");
        await broker.CtlAsync("eval", $"ok = ra:restart_server(quorum_queues, {server}).");
        return await running;
    }

    /// <summary>Polls the error queue until the message is there; the bound only stops a broken test from hanging.</summary>
    private static async Task<FailedMessage> WaitInErrorQueueAsync(string queue, string messageId)
    {
        var errorQueue = new ErrorQueue(TestInfrastructure.RabbitMqUri, queue);
        for (var attempt = 0; attempt < 600; attempt++)
        {
            if ((await errorQueue.ListAsync(1000, CancellationToken.None)).FirstOrDefault(m => m.MessageId == messageId) is { } failed)
            {
                return failed;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"{messageId} never reached {errorQueue.ErrorQueueName}");
    }

    private static Task<(int ExitCode, string Output)> SteeringctlAsync(params string[] arguments) =>
        SteeringctlAsync(TestInfrastructure.RabbitMqUri, arguments);

    private static async Task<(int ExitCode, string Output)> SteeringctlAsync(Uri broker, params string[] arguments)
    {
        var output = new StringWriter();
        var root = new RootCommand { BusCommands.Create() };
        var exitCode = await root.Parse([.. arguments, "--rabbitmq", broker.ToString()])
            .InvokeAsync(new InvocationConfiguration { Output = output, Error = output });
        return (exitCode, output.ToString());
    }
}

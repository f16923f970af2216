using System.CommandLine;
using Egov.Steering.Cli.Bus;
using Egov.Steering.Cli.Commands;
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
    public async Task Replay_on_a_broker_blocking_publishers_gives_up_after_the_timeout_and_leaves_the_message_in_the_error_queue()
    {
        const string broker = "replay-blocked";
        var port = TestInfrastructure.FreeRabbitMqPort();
        await TestInfrastructure.StartOwnAsync(InfrastructureKind.RabbitMq, broker, port);
        try
        {
            var uri = new Uri($"amqp://guest:guest@127.0.0.1:{port}/");
            const string queue = "replay-blocked";
            var messageId = Guid.NewGuid().ToString();
            // A consumer's queue and its error queue holding one failed message, as MassTransit leaves them.
            await using (var connection = await new ConnectionFactory { Uri = uri }.CreateConnectionAsync())
            await using (var channel = await connection.CreateChannelAsync())
            {
                await channel.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false);
                await channel.QueueDeclareAsync(queue + "_error", durable: true, exclusive: false, autoDelete: false);
                await channel.BasicPublishAsync("", queue + "_error", mandatory: true, new BasicProperties { MessageId = messageId, Persistent = true }, new byte[] { 0x0A, 0x01, 0x41 });
            }

            // A memory alarm: the broker stops taking what publishers send, so it confirms nothing.
            await TestInfrastructure.RabbitMqCtlAsync(broker, "set_vm_memory_high_watermark", "0");
            var (exitCode, output) = await SteeringctlAsync(
                uri, "bus", "errors", "replay", "--queue", queue, "--all", "--timeout", "00:00:02");

            Assert.True(exitCode == 3, output);
            Assert.Contains($"did not confirm the copy of message {messageId} within 2 s", output);
            await TestInfrastructure.RabbitMqCtlAsync(broker, "set_vm_memory_high_watermark", "0.4");
            Assert.Contains(await new ErrorQueue(uri, queue).ListAsync(10, CancellationToken.None), message => message.MessageId == messageId);
        }
        finally
        {
            await TestInfrastructure.StopOwnAsync(InfrastructureKind.RabbitMq, broker);
        }
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

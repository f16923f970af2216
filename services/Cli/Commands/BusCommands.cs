using System.CommandLine;
using Egov.Steering.Cli.Bus;
using Egov.Steering.Cli.Remote;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;
using RabbitMQ.Client.Exceptions;
using Spectre.Console;

namespace Egov.Steering.Cli.Commands;

/// <summary>
/// <c>steeringctl bus errors list|replay</c>: what an operator does with messages that kept failing.
/// <code>
/// steeringctl bus errors list   --queue membership-decision-issued [--limit 50]
/// steeringctl bus errors replay --queue membership-decision-issued --message-id &lt;id&gt; | --all
/// </code>
/// The broker is <c>--rabbitmq</c>, else <c>ConnectionStrings__RabbitMQ</c>, else the local development broker.
/// </summary>
public static class BusCommands
{
    private const string LocalBroker = "amqp://guest:guest@localhost:5672/";

    public static Command Create()
    {
        var errors = new Command("errors", "Inspect and replay messages that ended in a queue's _error queue.")
        {
            CreateList(),
            CreateReplay(),
        };
        return new Command("bus", "Operate the message bus (RabbitMQ).") { errors };
    }

    private static Command CreateList()
    {
        var queue = QueueOption();
        var rabbitMq = RabbitMqOption();
        var limit = new Option<int>("--limit") { Description = "At most this many messages.", DefaultValueFactory = _ => 50 };
        var list = new Command("list", "List the messages in <queue>_error with their last failure; leaves them there.")
        {
            queue, rabbitMq, limit,
        };
        list.SetAction((parseResult, cancellationToken) => RunAsync(parseResult, rabbitMq, async (console, broker) =>
        {
            var errorQueue = new ErrorQueue(broker, parseResult.GetRequiredValue(queue));
            var messages = await errorQueue.ListAsync(parseResult.GetValue(limit), cancellationToken);
            // Ids stay on one line so an operator can copy them into `replay --message-id`.
            var table = new Table()
                .AddColumn(new TableColumn("message id").NoWrap())
                .AddColumns("type", "failure", "failed at");
            foreach (var message in messages)
            {
                table.AddRow(
                    Markup.Escape(message.MessageId ?? "-"),
                    Markup.Escape(message.EventType ?? message.MessageType ?? message.ContentType ?? "-"),
                    Markup.Escape($"{message.FaultExceptionType}: {message.FaultMessage}"),
                    Markup.Escape(message.FaultTimestamp ?? "-"));
            }

            console.Write(table);
            console.WriteLine($"{messages.Count} message(s) in {errorQueue.ErrorQueueName}");
            return ExitCodes.Ok;
        }));
        return list;
    }

    private static Command CreateReplay()
    {
        var queue = QueueOption();
        var rabbitMq = RabbitMqOption();
        var messageId = new Option<string>("--message-id") { Description = "Replay only this message." };
        var all = new Option<bool>("--all") { Description = "Replay every message in the error queue." };
        var timeout = new Option<TimeSpan>("--timeout")
        {
            Description = "How long to wait for each answer of the broker, a copy's confirm among them, before giving up (e.g. 00:00:20).",
            DefaultValueFactory = _ => ErrorQueue.DefaultTimeout,
        };
        var replay = new Command("replay", "Move failed messages from <queue>_error back to <queue>, body and headers kept.")
        {
            queue, rabbitMq, messageId, all, timeout,
        };
        replay.Validators.Add(result =>
        {
            if (result.GetValue(messageId) is null == !result.GetValue(all))
            {
                result.AddError("Give exactly one of --message-id or --all.");
            }
        });
        replay.SetAction((parseResult, cancellationToken) => RunAsync(parseResult, rabbitMq, async (console, broker) =>
        {
            var errorQueue = new ErrorQueue(broker, parseResult.GetRequiredValue(queue), parseResult.GetValue(timeout));
            var id = parseResult.GetValue(messageId);
            var replayed = await errorQueue.ReplayAsync(id, cancellationToken);
            console.WriteLine($"{replayed} message(s) moved from {errorQueue.ErrorQueueName} to {errorQueue.Queue}");
            if (replayed == 0 && id is not null)
            {
                await parseResult.InvocationConfiguration.Error.WriteLineAsync(
                    $"No message {id} in {errorQueue.ErrorQueueName}: `steeringctl bus errors list --queue {errorQueue.Queue}` lists its messages.");
                return ExitCodes.NotFound;
            }

            return ExitCodes.Ok;
        }));
        return replay;
    }

    private static Option<string> QueueOption() =>
        new("--queue") { Description = "The consumer's queue, e.g. membership-decision-issued.", Required = true };

    private static Option<Uri?> RabbitMqOption() => new("--rabbitmq")
    {
        Description = "The broker's amqp:// URI; else ConnectionStrings__RabbitMQ, else the local development broker.",
        CustomParser = result =>
        {
            if (Uri.TryCreate(result.Tokens.Single().Value, UriKind.Absolute, out var uri) && uri.Scheme is "amqp" or "amqps")
            {
                return uri;
            }

            result.AddError("--rabbitmq must be an amqp:// or amqps:// URI.");
            return null;
        },
    };

    // Resolved here rather than as the option's default so that --help never prints a password from the environment.
    private static Uri Broker(Uri? option) =>
        option ?? new Uri(Environment.GetEnvironmentVariable("ConnectionStrings__RabbitMQ") is { Length: > 0 } uri ? uri : LocalBroker);

    // The user the client logs in as and the virtual host it opens: the URI's, else the client's defaults.
    private static string UserOf(Uri broker) => new ConnectionFactory { Uri = broker }.UserName;

    private static string VirtualHostOf(Uri broker) => new ConnectionFactory { Uri = broker }.VirtualHost;

    // RabbitMQ refuses a virtual host that does not exist or that the user may not open with 530, after the login; the
    // client reports it while connecting or at the first operation on the closed connection.
    private static ShutdownEventArgs? RefusedVirtualHost(Exception exception) =>
        exception.GetBaseException() is OperationInterruptedException { ShutdownReason: { ReplyCode: Constants.NotAllowed } reason } ? reason : null;

    private static async Task<int> RunAsync(ParseResult parseResult, Option<Uri?> rabbitMq, Func<IAnsiConsole, Uri, Task<int>> run)
    {
        var broker = Broker(parseResult.GetValue(rabbitMq));
        // Named without the user and password the URI may carry.
        var brokerAddress = broker.GetComponents(UriComponents.SchemeAndServer, UriFormat.Unescaped);
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(parseResult.InvocationConfiguration.Output),
        });
        var error = parseResult.InvocationConfiguration.Error;
        try
        {
            return await run(console, broker);
        }
        catch (OperationInterruptedException exception) when (exception.ShutdownReason?.ReplyCode == Constants.NotFound)
        {
            await error.WriteLineAsync($"No such queue: {exception.ShutdownReason.ReplyText}");
            return ExitCodes.NotFound;
        }
        catch (Exception exception) when (RefusedVirtualHost(exception) is { } refused)
        {
            await error.WriteLineAsync(
                $"RabbitMQ at {brokerAddress} refused user '{UserOf(broker)}' the virtual host '{VirtualHostOf(broker)}' ({refused.ReplyText}): " +
                "check the virtual host of --rabbitmq (or ConnectionStrings__RabbitMQ) and the user's permissions on it.");
            return ExitCodes.NotAllowed;
        }
        catch (BrokerUnreachableException exception) when (exception.GetBaseException() is AuthenticationFailureException refused)
        {
            await error.WriteLineAsync(
                $"RabbitMQ at {brokerAddress} refused the login of user '{UserOf(broker)}' ({refused.Message}): " +
                "check the user and password of --rabbitmq (or ConnectionStrings__RabbitMQ).");
            return ExitCodes.NotAllowed;
        }
        catch (BrokerUnreachableException exception)
        {
            await error.WriteLineAsync(
                $"RabbitMQ at {brokerAddress} cannot be reached ({exception.GetBaseException().Message}): " +
                "start it, or pass its address with --rabbitmq (or ConnectionStrings__RabbitMQ).");
            return ExitCodes.Unavailable;
        }
        catch (OperationInterruptedException exception)
        {
            await error.WriteLineAsync(
                $"RabbitMQ at {brokerAddress} ended the operation: {exception.ShutdownReason?.ReplyText ?? exception.Message}");
            return ExitCodes.Unavailable;
        }
        catch (ReplayUnconfirmedException exception)
        {
            await error.WriteLineAsync(exception.Message);
            return ExitCodes.Unavailable;
        }
    }
}

using Egov.Steering.Notifications.Data;
using Egov.Steering.Notifications.Feed;
using Microsoft.Extensions.Options;

namespace Egov.Steering.Notifications.Webhooks;

/// <summary>Two loops: queue deliveries as the log grows, and attempt those that are due.</summary>
internal sealed partial class WebhookWorker(
    IServiceScopeFactory scopes,
    LogSignal signal,
    WebhookSubscriptionPresence subscriptions,
    WebhookSender sender,
    IOptions<NotificationsOptions> options,
    TimeProvider timeProvider,
    ILogger<WebhookWorker> logger) : BackgroundService
{
    private readonly SemaphoreSlim _queued = new(0, 1);

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(DispatchLoopAsync(stoppingToken), SendLoopAsync(stoppingToken));

    private async Task DispatchLoopAsync(CancellationToken stoppingToken)
    {
        var wait = signal.Subscribe();
        var cursorExists = false;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                // A full batch may have left more behind; a shorter one reached the end of the log (an append
                // meanwhile has signalled, and the wait below returns at once).
                while (subscriptions.MayExist)
                {
                    await using var scope = scopes.CreateAsyncScope();
                    var db = scope.ServiceProvider.GetRequiredService<NotificationsDbContext>();
                    // The first subscription creates the cursor; a database restored without it still gets one (at the
                    // log's start: each subscription only receives the events after its own start).
                    if (!cursorExists)
                    {
                        await FeedCursorLock.EnsureExistsAsync(db, FeedCursor.Webhooks, timeProvider.GetUtcNow().UtcDateTime, stoppingToken);
                        cursorExists = true;
                    }

                    var dispatched = await WebhookDispatcher.DispatchBatchAsync(
                        db, subscriptions, options.Value.Feed.PollInterval, timeProvider.GetUtcNow().UtcDateTime, stoppingToken);
                    if (dispatched.Deliveries > 0 && _queued.CurrentCount == 0)
                    {
                        _queued.Release();
                    }

                    if (dispatched.Events < WebhookDispatcher.BatchSize)
                    {
                        break;
                    }
                }

                await wait(options.Value.Feed.PollInterval, stoppingToken);
            }
            catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
            {
                LogFailed(exception, "queueing");
                await Task.Delay(options.Value.Webhooks.PollInterval, stoppingToken);
            }
        }
    }

    private async Task SendLoopAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (await sender.SendDueAsync(stoppingToken) == 0)
                {
                    await _queued.WaitAsync(options.Value.Webhooks.PollInterval, stoppingToken);
                }
            }
            catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
            {
                LogFailed(exception, "sending");
                await Task.Delay(options.Value.Webhooks.PollInterval, stoppingToken);
            }
        }
    }

    [LoggerMessage(LogLevel.Warning, "Webhook {Stage} failed; retrying")]
    private partial void LogFailed(Exception exception, string stage);
}

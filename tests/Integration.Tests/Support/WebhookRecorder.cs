using System.Collections.Concurrent;
using Egov.Steering.Events.V1;
using Egov.Steering.Notifications.V1;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Egov.Steering.Integration.Tests.Support;

/// <summary>A webhook endpoint that keeps each POST's headers and envelope (signatures are the webhook tests' concern).</summary>
public sealed class WebhookRecorder : IAsyncDisposable
{
    private readonly WebApplication app;

    private WebhookRecorder(WebApplication app) => this.app = app;

    public ConcurrentQueue<(IReadOnlyDictionary<string, string> Headers, EventEnvelope Envelope)> Received { get; } = new();

    public string Uri => app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First() + "/hook";

    /// <summary>A recorder subscribed, through <paramref name="notifications"/>, to every event its caller may see.</summary>
    public static async Task<WebhookRecorder> SubscribeAsync(NotificationsService.NotificationsServiceClient notifications)
    {
        var recorder = await StartAsync();
        await notifications.CreateWebhookSubscriptionAsync(new CreateWebhookSubscriptionRequest
        {
            WebhookSubscription = new WebhookSubscription { Uri = recorder.Uri, Secret = Convert.ToBase64String(new byte[32]) },
        });
        return recorder;
    }

    public static async Task<WebhookRecorder> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var recorder = new WebhookRecorder(app);
        app.MapPost("/hook", async (HttpRequest request) =>
        {
            using var body = new MemoryStream();
            await request.Body.CopyToAsync(body);
            recorder.Received.Enqueue((
                request.Headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value.ToString()),
                EventEnvelope.Parser.ParseFrom(body.ToArray())));
            return Results.Ok();
        });
        await app.StartAsync();
        return recorder;
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}

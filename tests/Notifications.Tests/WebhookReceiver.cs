using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Egov.Steering.Events.V1;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Egov.Steering.Notifications.Tests;

/// <summary>
/// A dashboard's webhook endpoint on Kestrel (127.0.0.1): verifies each POST's signature the way the README tells
/// receivers to, and answers what <see cref="Answer"/> says for the event's attempt number.
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, int> _attempts = new();

    private WebhookReceiver(WebApplication app, string secret)
    {
        _app = app;
        Secret = secret;
    }

    public string Secret { get; }

    public string Uri => _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First() + "/hook";

    /// <summary>(event id, attempt 1..n) → HTTP status to answer; <see cref="Hang"/> never answers: the sender times out.</summary>
    public Func<string, int, int> Answer { get; set; } = (_, _) => 200;

    public const int Hang = -1;

    public ConcurrentDictionary<string, EventEnvelope> Accepted { get; } = new();

    public int BadSignatures;

    public int AttemptsOf(string eventId) => _attempts.GetValueOrDefault(eventId);

    public static async Task<WebhookReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var receiver = new WebhookReceiver(app, Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));
        app.MapPost("/hook", receiver.ReceiveAsync);
        await app.StartAsync();
        return receiver;
    }

    private async Task<IResult> ReceiveAsync(HttpRequest request)
    {
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer);
        var body = buffer.ToArray();
        var timestamp = request.Headers["webhook-timestamp"].ToString();
        var expected = "v1=" + Convert.ToHexStringLower(
            HMACSHA256.HashData(Encoding.UTF8.GetBytes(Secret), Encoding.UTF8.GetBytes(timestamp + ".").Concat(body).ToArray()));
        if (!CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(request.Headers["webhook-signature"].ToString()))
            || Math.Abs(DateTimeOffset.UtcNow.ToUnixTimeSeconds() - long.Parse(timestamp, CultureInfo.InvariantCulture)) > 300)
        {
            Interlocked.Increment(ref BadSignatures);
            return Results.Unauthorized();
        }

        var envelope = EventEnvelope.Parser.ParseFrom(body);
        var attempt = _attempts.AddOrUpdate(envelope.Id, 1, (_, n) => n + 1);
        var status = Answer(envelope.Id, attempt);
        if (status == Hang)
        {
            await Task.Delay(Timeout.InfiniteTimeSpan, request.HttpContext.RequestAborted);
        }

        if (status is >= 200 and < 300 && request.Headers["ce-id"] == envelope.Id)
        {
            Accepted[envelope.Id] = envelope;
        }

        return Results.StatusCode(status);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

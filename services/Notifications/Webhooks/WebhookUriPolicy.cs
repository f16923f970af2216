using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Hosting;

namespace Egov.Steering.Notifications.Webhooks;

/// <summary>
/// Where webhooks may point: an absolute https URL without whitespace, user information or fragment, in every
/// environment; plain http only to loopback in Development. Outside Development no URL may reach a special-purpose
/// address (<see cref="SpecialPurposeAddresses"/>) — checked when subscribing and again on every connection (a DNS
/// answer can change after the check).
/// </summary>
public sealed class WebhookUriPolicy(IHostEnvironment environment)
{
    private const string Unreachable = "which webhooks may not reach (loopback, private, link-local and other special-purpose addresses)";

    public bool IsDevelopment => environment.IsDevelopment();

    /// <summary>Why <paramref name="uri"/> (exactly as it would be stored) is refused, or null when it is acceptable.</summary>
    public async Task<string?> RefusalAsync(string uri, CancellationToken cancellationToken)
    {
        // Uri.TryCreate would trim (and escape inner spaces), and the URL stored would not be the one checked.
        if (uri.Any(character => char.IsWhiteSpace(character) || char.IsControl(character)))
        {
            return "must not contain whitespace or control characters (a URL has none; percent-encode them)";
        }

        if (!Uri.TryCreate(uri, UriKind.Absolute, out var parsed) || parsed.Host.Length == 0)
        {
            return "must be an absolute https URL";
        }

        if (parsed.UserInfo.Length > 0 || parsed.Fragment.Length > 0)
        {
            return "must not carry user information or a fragment";
        }

        var loopback = parsed.IsLoopback;
        if (parsed.Scheme == Uri.UriSchemeHttp && !(IsDevelopment && loopback))
        {
            return "must use https (plain http only for loopback in Development)";
        }

        if (parsed.Scheme != Uri.UriSchemeHttps && parsed.Scheme != Uri.UriSchemeHttp)
        {
            return "must use https";
        }

        if (IsDevelopment)
        {
            return null;
        }

        IPAddress[] addresses;
        try
        {
            addresses = IPAddress.TryParse(parsed.DnsSafeHost, out var literal)
                ? [literal]
                : await Dns.GetHostAddressesAsync(parsed.DnsSafeHost, cancellationToken);
        }
        catch (SocketException)
        {
            return "its host does not resolve";
        }

        return addresses.FirstOrDefault(SpecialPurposeAddresses.Contains) is { } refused ? $"resolves to {refused}, {Unreachable}" : null;
    }

    /// <summary>
    /// The webhook client's connection outside Development: to the addresses the host resolves to now that are not
    /// special-purpose, whatever DNS said when the subscription was made.
    /// </summary>
    public static async ValueTask<Stream> ConnectToPublicAddressAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var addresses = await Dns.GetHostAddressesAsync(context.DnsEndPoint.Host, cancellationToken);
        var allowed = addresses.Where(address => !SpecialPurposeAddresses.Contains(address)).ToArray();
        if (allowed.Length == 0)
        {
            throw new HttpRequestException($"{context.DnsEndPoint.Host} resolves only to {string.Join(", ", addresses.Select(a => a.ToString()))}, {Unreachable}");
        }

        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(allowed, context.DnsEndPoint.Port, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}

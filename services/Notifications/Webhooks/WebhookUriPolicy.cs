using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Hosting;

namespace Egov.Steering.Notifications.Webhooks;

/// <summary>
/// Where webhooks may point: https; plain http only to loopback in Development. Outside Development no URL may reach
/// loopback, private, link-local or other internal addresses — checked when subscribing and again on every
/// connection (a DNS answer can change after the check).
/// </summary>
public sealed class WebhookUriPolicy(IHostEnvironment environment)
{
    public bool IsDevelopment => environment.IsDevelopment();

    /// <summary>Why <paramref name="uri"/> is refused, or null when it is acceptable.</summary>
    public async Task<string?> RefusalAsync(string uri, CancellationToken cancellationToken)
    {
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

        return addresses.Any(IsInternal) ? "resolves to a loopback, private or link-local address" : null;
    }

    /// <summary>Loopback, private (RFC 1918, unique local), link-local, CGNAT, unspecified or multicast.</summary>
    public static bool IsInternal(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (IPAddress.IsLoopback(address) || address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any))
        {
            return true;
        }

        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            return address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6UniqueLocal || address.IsIPv6Multicast;
        }

        var b = address.GetAddressBytes();
        return b[0] == 10
            || (b[0] == 172 && b[1] >= 16 && b[1] <= 31)
            || (b[0] == 192 && b[1] == 168)
            || (b[0] == 169 && b[1] == 254)
            || (b[0] == 100 && b[1] >= 64 && b[1] <= 127)
            || b[0] == 0
            || b[0] >= 224;
    }
}

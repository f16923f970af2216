using System.Net;
using System.Net.Sockets;

namespace Egov.Steering.Notifications.Webhooks;

/// <summary>
/// The addresses a webhook may never reach outside Development: every range of the IANA IPv4 and IPv6
/// Special-Purpose Address Registries, multicast, IPv6 outside the global unicast space, and any IPv4 form of these
/// written as IPv6.
/// </summary>
public static class SpecialPurposeAddresses
{
    private static readonly IPNetwork[] IPv4 = Networks(
        "0.0.0.0/8", // "this network" (RFC 791 3.2); 0.0.0.0/32 "this host" (RFC 1122 3.2.1.3)
        "10.0.0.0/8", // private use (RFC 1918)
        "100.64.0.0/10", // shared address space, carrier-grade NAT (RFC 6598)
        "127.0.0.0/8", // loopback (RFC 1122 3.2.1.3)
        "169.254.0.0/16", // link local, cloud metadata services (RFC 3927)
        "172.16.0.0/12", // private use (RFC 1918)
        "192.0.0.0/24", // IETF protocol assignments (RFC 6890 2.1)
        "192.0.0.0/29", // IPv4 service continuity prefix, DS-Lite (RFC 7335)
        "192.0.0.8/32", // IPv4 dummy address (RFC 7600)
        "192.0.0.9/32", // Port Control Protocol anycast (RFC 7723)
        "192.0.0.10/32", // traversal using relays around NAT anycast (RFC 8155)
        "192.0.0.170/32", // NAT64/DNS64 discovery (RFC 8880, RFC 7050)
        "192.0.0.171/32", // NAT64/DNS64 discovery (RFC 8880, RFC 7050)
        "192.0.2.0/24", // documentation, TEST-NET-1 (RFC 5737)
        "192.31.196.0/24", // AS112-v4 (RFC 7535)
        "192.52.193.0/24", // automatic multicast tunnelling (RFC 7450)
        "192.88.99.0/24", // deprecated 6to4 relay anycast (RFC 7526)
        "192.168.0.0/16", // private use (RFC 1918)
        "192.175.48.0/24", // direct delegation AS112 service (RFC 7534)
        "198.18.0.0/15", // benchmarking (RFC 2544)
        "198.51.100.0/24", // documentation, TEST-NET-2 (RFC 5737)
        "203.0.113.0/24", // documentation, TEST-NET-3 (RFC 5737)
        "240.0.0.0/4", // reserved (RFC 1112 4)
        "255.255.255.255/32", // limited broadcast (RFC 8190, RFC 919 7)
        "224.0.0.0/4"); // multicast (RFC 5771; the IPv4 address space registry, not the special-purpose one)

    // IPv6 special-purpose ranges inside the global unicast space; everything outside it is refused as a whole:
    // ::/128 unspecified, ::1/128 loopback, ::/96 IPv4-compatible (deprecated) (RFC 4291), 64:ff9b:1::/48 local-use
    // NAT64 (RFC 8215), 100::/64 discard-only (RFC 6666), 5f00::/16 SRv6 SIDs (RFC 9602), fc00::/7 unique local
    // (RFC 4193), fe80::/10 link-local (RFC 4291), fec0::/10 site-local (RFC 3879), ff00::/8 multicast (RFC 4291).
    private static readonly IPNetwork[] IPv6 = Networks(
        "2001::/23", // IETF protocol assignments (RFC 2928), among them:
        "2001::/32", // Teredo (RFC 4380): a tunnel whose client IPv4 is the obfuscated last 32 bits
        "2001:1::1/128", // Port Control Protocol anycast (RFC 7723)
        "2001:1::2/128", // traversal using relays around NAT anycast (RFC 8155)
        "2001:2::/48", // benchmarking (RFC 5180)
        "2001:3::/32", // automatic multicast tunnelling (RFC 7450)
        "2001:4:112::/48", // AS112-v6 (RFC 7535)
        "2001:10::/28", // deprecated ORCHID (RFC 4843)
        "2001:20::/28", // ORCHIDv2 (RFC 7343)
        "2001:30::/28", // drone remote ID protocol entity tags (RFC 9374)
        "2001:db8::/32", // documentation (RFC 3849)
        "2002::/16", // 6to4 (RFC 3056): a tunnel to the IPv4 in bits 16-47
        "2620:4f:8000::/48", // direct delegation AS112 service (RFC 7534)
        "3fff::/20"); // documentation (RFC 9637)

    // RFC 4291 2.4: the global unicast space; the rest of the IPv6 space is reserved, local or multicast.
    private static readonly IPNetwork GlobalUnicast = IPNetwork.Parse("2000::/3");

    // RFC 6052 well-known NAT64 prefix: the IPv4 address in the last 32 bits, as DNS64 writes it on IPv6-only networks.
    private static readonly IPNetwork WellKnownNat64 = IPNetwork.Parse("64:ff9b::/96");

    /// <summary>
    /// Whether webhooks must not reach <paramref name="address"/>. The two forms that mean "this IPv4 address" —
    /// IPv4-mapped (::ffff:0:0/96) and the well-known NAT64 prefix (64:ff9b::/96) — are judged by the IPv4 they embed.
    /// </summary>
    public static bool Contains(IPAddress address)
    {
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            return IPv4.Any(network => network.Contains(address));
        }

        if (address.IsIPv4MappedToIPv6 || WellKnownNat64.Contains(address))
        {
            return Contains(new IPAddress(address.GetAddressBytes()[12..]));
        }

        return !GlobalUnicast.Contains(address) || IPv6.Any(network => network.Contains(address));
    }

    private static IPNetwork[] Networks(params string[] ranges) => [.. ranges.Select(range => IPNetwork.Parse(range))];
}

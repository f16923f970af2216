using System.Net;
using System.Net.Sockets;
using Egov.Steering.Notifications.Webhooks;
using Egov.Steering.TestSupport;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Internal;

namespace Egov.Steering.Notifications.Tests;

/// <summary>Where a webhook may point outside Development: never a special-purpose address, however it is written.</summary>
public sealed class WebhookAddressTests
{
    private static readonly WebhookUriPolicy Production = new(new HostingEnvironment { EnvironmentName = Environments.Production });

    /// <summary>Every range of the IANA special-purpose registries (and the multicast and non-global IPv6 space).</summary>
    [Theory]
    // IPv4 Special-Purpose Address Registry
    [InlineData("0.0.0.0/8")]
    [InlineData("10.0.0.0/8")]
    [InlineData("100.64.0.0/10")]
    [InlineData("127.0.0.0/8")]
    [InlineData("169.254.0.0/16")]
    [InlineData("172.16.0.0/12")]
    [InlineData("192.0.0.0/24")]
    [InlineData("192.0.0.0/29")]
    [InlineData("192.0.0.8/32")]
    [InlineData("192.0.0.9/32")]
    [InlineData("192.0.0.10/32")]
    [InlineData("192.0.0.170/32")]
    [InlineData("192.0.0.171/32")]
    [InlineData("192.0.2.0/24")]
    [InlineData("192.31.196.0/24")]
    [InlineData("192.52.193.0/24")]
    [InlineData("192.88.99.0/24")]
    [InlineData("192.168.0.0/16")]
    [InlineData("192.175.48.0/24")]
    [InlineData("198.18.0.0/15")]
    [InlineData("198.51.100.0/24")]
    [InlineData("203.0.113.0/24")]
    [InlineData("240.0.0.0/4")]
    [InlineData("255.255.255.255/32")]
    [InlineData("224.0.0.0/4")]
    // IPv6 Special-Purpose Address Registry
    [InlineData("::1/128")]
    [InlineData("::/128")]
    [InlineData("64:ff9b:1::/48")]
    [InlineData("100::/64")]
    [InlineData("2001::/23")]
    [InlineData("2001::/32")]
    [InlineData("2001:1::1/128")]
    [InlineData("2001:1::2/128")]
    [InlineData("2001:2::/48")]
    [InlineData("2001:3::/32")]
    [InlineData("2001:4:112::/48")]
    [InlineData("2001:10::/28")]
    [InlineData("2001:20::/28")]
    [InlineData("2001:30::/28")]
    [InlineData("2001:db8::/32")]
    [InlineData("2002::/16")]
    [InlineData("2620:4f:8000::/48")]
    [InlineData("3fff::/20")]
    [InlineData("5f00::/16")]
    [InlineData("fc00::/7")]
    [InlineData("fe80::/10")]
    [InlineData("fec0::/10")]
    [InlineData("ff00::/8")]
    [InlineData("::/96")]
    public async Task The_first_and_last_address_of_every_special_purpose_range_are_refused(string range)
    {
        var network = IPNetwork.Parse(range);
        foreach (var address in new[] { network.BaseAddress, LastAddress(network) })
        {
            Assert.NotNull(await Production.RefusalAsync(Url(address), CancellationToken.None));
        }
    }

    [Theory]
    [InlineData("64:ff9b::a9fe:a9fe")] // NAT64 (RFC 6052) of 169.254.169.254
    [InlineData("64:ff9b::7f00:1")] // NAT64 of 127.0.0.1
    [InlineData("64:ff9b::c0a8:101")] // NAT64 of 192.168.1.1
    [InlineData("64:ff9b:1::a9fe:a9fe")] // local-use NAT64 (RFC 8215)
    [InlineData("2002:a9fe:a9fe::")] // 6to4 (RFC 3056) of 169.254.169.254
    [InlineData("2002:0808:0808::1")] // 6to4 of a public address: a deprecated tunnel, refused whole
    [InlineData("2001:0:4136:e378:8000:63bf:5601:5601")] // Teredo (RFC 4380): client 169.254.169.254, obfuscated
    [InlineData("::ffff:169.254.169.254")] // IPv4-mapped (RFC 4291)
    [InlineData("::ffff:10.0.0.1")]
    [InlineData("::127.0.0.1")] // IPv4-compatible (deprecated, RFC 4291 2.5.5.1)
    [InlineData("::8.8.8.8")]
    public async Task An_internal_IPv4_address_hidden_in_an_IPv6_form_is_refused(string address) =>
        Assert.NotNull(await Production.RefusalAsync(Url(IPAddress.Parse(address)), CancellationToken.None));

    [Theory]
    [InlineData("8.8.8.8")]
    [InlineData("1.1.1.1")]
    [InlineData("2606:4700:4700::1111")]
    [InlineData("64:ff9b::808:808")] // NAT64 of a public address: what DNS64 gives on an IPv6-only network
    [InlineData("::ffff:8.8.8.8")]
    public async Task A_public_address_is_accepted(string address) =>
        Assert.Null(await Production.RefusalAsync(Url(IPAddress.Parse(address)), CancellationToken.None));

    [Theory]
    [InlineData("localhost")] // resolves to loopback
    [InlineData("[::127.0.0.1]")] // IPv4-compatible loopback
    [InlineData("[::ffff:127.0.0.1]")]
    public async Task A_connection_to_a_refused_address_is_never_made_outside_development(string host)
    {
        using var listener = new TcpListener(IPAddress.IPv6Any, 0) { Server = { DualMode = true } };
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        await using var app = BuildNotifications(Environments.Production);
        using var client = app.Services.GetRequiredService<IHttpClientFactory>().CreateClient(WebhookSender.HttpClientName);

        var error = await Assert.ThrowsAsync<HttpRequestException>(() => client.PostAsync(new Uri($"https://{host}:{port}/hook"), new ByteArrayContent([])));

        Assert.Contains("may not reach", error.ToString(), StringComparison.Ordinal);
        Assert.False(listener.Pending(), "a connection reached the listener");
    }

    private static WebApplication BuildNotifications(string environment)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = environment });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Storage:Provider"] = "PostgreSQL",
            ["ConnectionStrings:Database"] = TestInfrastructure.PostgresConnectionString,
            ["Bus:Transport"] = "RabbitMQ",
            ["ConnectionStrings:RabbitMQ"] = TestInfrastructure.RabbitMqUri.ToString(),
            ["Cache:Provider"] = "Memory",
        });
        Extensions.NotificationsModule().AddServices(builder);
        return builder.Build(); // never started: only its webhook HTTP client is used
    }

    private static string Url(IPAddress address) =>
        address.AddressFamily == AddressFamily.InterNetworkV6 ? $"https://[{address}]/hook" : $"https://{address}/hook";

    private static IPAddress LastAddress(IPNetwork network)
    {
        var bytes = network.BaseAddress.GetAddressBytes();
        for (var bit = network.PrefixLength; bit < bytes.Length * 8; bit++)
        {
            bytes[bit / 8] |= (byte)(0x80 >> (bit % 8));
        }

        return new IPAddress(bytes);
    }
}

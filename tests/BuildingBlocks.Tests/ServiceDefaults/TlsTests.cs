using System.Globalization;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Text.RegularExpressions;
using Egov.Steering.ServiceDefaults.Tls;
using Egov.Steering.TestSupport;
using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Net.Client;

namespace Egov.Steering.BuildingBlocks.Tests.ServiceDefaults;

/// <summary>
/// The gRPC port over TLS with certificates made here (a test authority, the PEM files a Kubernetes TLS Secret mounts):
/// plain text refused, mutual TLS, rotation by replacing the files, and the certificate's expiry as a metric.
/// </summary>
public sealed partial class TlsTests : IDisposable
{
    private readonly TestCertificates authority = new("steering-test-ca");
    private readonly TestCertificates otherAuthority = new("another-ca");

    public void Dispose()
    {
        authority.Dispose();
        otherAuthority.Dispose();
    }

    [Fact]
    public async Task Grpc_is_served_over_tls_and_a_plain_text_call_to_the_tls_port_fails()
    {
        var served = authority.Issue("membership.steering.test", "server");
        await using var host = await StartAsync(served, ClientCertificateRequirement.None);

        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, await CheckAsync(host, clientCertificate: null));

        using var plain = GrpcChannel.ForAddress($"http://127.0.0.1:{host.GrpcPort}");
        var refused = await Assert.ThrowsAsync<RpcException>(() => new Health.HealthClient(plain).CheckAsync(new HealthCheckRequest()).ResponseAsync);
        // The handshake fails on the server; the client reports the closed connection (Unavailable) or, when it reads the
        // TLS alert sent before the close as an HTTP/2 frame, a protocol error (Internal): a race, either way unserved.
        Assert.Contains(refused.StatusCode, new[] { StatusCode.Unavailable, StatusCode.Internal });
        Assert.Empty(refused.Trailers);
    }

    [Fact]
    public async Task Mutual_tls_refuses_a_client_without_a_certificate_or_with_one_of_another_authority()
    {
        var served = authority.Issue("membership.steering.test", "server");
        await using var host = await StartAsync(served, ClientCertificateRequirement.Require);

        Assert.Equal(
            HealthCheckResponse.Types.ServingStatus.Serving,
            await CheckAsync(host, authority.Issue("decisions.steering.test", "decisions").Certificate));
        await Assert.ThrowsAsync<RpcException>(() => CheckAsync(host, clientCertificate: null));
        await Assert.ThrowsAsync<RpcException>(() => CheckAsync(host, otherAuthority.Issue("decisions.steering.test", "impostor").Certificate));
    }

    [Fact]
    public async Task A_certificate_replaced_in_its_files_is_served_on_new_connections_and_its_expiry_is_exported()
    {
        var first = authority.Issue("membership.steering.test", "server", validFor: TimeSpan.FromDays(10));
        await using var host = await StartAsync(first, ClientCertificateRequirement.None);
        Assert.Equal(first.Certificate.SerialNumber, (await ServedCertificateAsync(host)).SerialNumber);
        Assert.InRange(await ExpiryGaugeAsync(host), TimeSpan.FromDays(9).TotalSeconds, TimeSpan.FromDays(10).TotalSeconds);

        var rotated = authority.Issue("membership.steering.test", "server", validFor: TimeSpan.FromDays(90));
        await Eventually.WaitUntilAsync(
            async () => (await ServedCertificateAsync(host)).SerialNumber == rotated.Certificate.SerialNumber,
            "a new connection served the replaced certificate");
        Assert.InRange(await ExpiryGaugeAsync(host), TimeSpan.FromDays(89).TotalSeconds, TimeSpan.FromDays(90).TotalSeconds);
    }

    [Theory]
    [InlineData("decisions.steering.test", "decisions.steering.test")]
    [InlineData("egov-steering-decisions.steering.svc.cluster.local", "egov-steering-decisions")]
    [InlineData("egov-steering-notifications.steering.svc", null)]
    [InlineData("egov-steering-decisions-evil.example", null)]
    public void A_service_is_identified_by_a_dns_name_of_its_certificate(string dnsName, string? expected)
    {
        using var certificate = authority.Issue(dnsName, "identity").Certificate;
        Assert.Equal(expected, ServiceIdentity.Of(certificate, ["decisions.steering.test", "egov-steering-decisions"]));
    }

    private Task<KestrelHost> StartAsync(IssuedCertificate served, ClientCertificateRequirement clientCertificates) =>
        TestServiceHost.StartOnKestrelAsync(new Dictionary<string, string?>
        {
            ["Tls:CertificatePath"] = served.CertificatePath,
            ["Tls:KeyPath"] = served.KeyPath,
            ["Tls:CaPath"] = authority.CaPath,
            ["Tls:ClientCertificates"] = clientCertificates.ToString(),
        });

    /// <summary>grpc.health.v1 over TLS on a new connection that trusts the test authority only.</summary>
    private async Task<HealthCheckResponse.Types.ServingStatus> CheckAsync(KestrelHost host, X509Certificate2? clientCertificate)
    {
        using var channel = Channel(host, clientCertificate, _ => { });
        return (await new Health.HealthClient(channel).CheckAsync(new HealthCheckRequest())).Status;
    }

    private async Task<X509Certificate2> ServedCertificateAsync(KestrelHost host)
    {
        X509Certificate2? served = null;
        using var channel = Channel(host, clientCertificate: null, presented => served ??= presented);
        await new Health.HealthClient(channel).CheckAsync(new HealthCheckRequest());
        return served!;
    }

    private GrpcChannel Channel(KestrelHost host, X509Certificate2? clientCertificate, Action<X509Certificate2> seen)
    {
        var handler = new SocketsHttpHandler
        {
            SslOptions = new SslClientAuthenticationOptions
            {
                ClientCertificates = clientCertificate is null ? null : [clientCertificate],
                RemoteCertificateValidationCallback = (_, certificate, _, _) =>
                {
                    using var chain = new X509Chain();
                    chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                    chain.ChainPolicy.CustomTrustStore.Add(authority.Authority);
                    chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                    var presented = new X509Certificate2(certificate!);
                    seen(presented);
                    return chain.Build(presented);
                },
            },
        };
        return GrpcChannel.ForAddress($"https://127.0.0.1:{host.GrpcPort}", new GrpcChannelOptions { HttpHandler = handler, DisposeHttpClient = true });
    }

    private static async Task<double> ExpiryGaugeAsync(KestrelHost host)
    {
        using var http = new HttpClient();
        var scrape = await http.GetStringAsync(new Uri($"http://127.0.0.1:{host.HttpPort}/metrics"));
        var sample = ExpiryLine().Match(scrape);
        Assert.True(sample.Success, "steering_tls_certificate_expiry_seconds{listener=\"grpc\"} is not in the scrape:\n" + scrape);
        return double.Parse(sample.Groups["value"].Value, CultureInfo.InvariantCulture);
    }

    [GeneratedRegex("""^steering_tls_certificate_expiry_seconds\{[^}]*listener="grpc"[^}]*\} (?<value>[-0-9.eE+]+)""", RegexOptions.Multiline)]
    private static partial Regex ExpiryLine();
}

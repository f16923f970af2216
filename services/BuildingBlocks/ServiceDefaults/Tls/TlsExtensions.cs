using System.Net.Security;
using System.Security.Cryptography;
using Egov.Steering.ServiceDefaults.Telemetry;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Egov.Steering.ServiceDefaults.Tls;

public static class TlsExtensions
{
    private static readonly Oid ServerAuthentication = new("1.3.6.1.5.5.7.3.1");
    private static readonly Oid ClientAuthentication = new("1.3.6.1.5.5.7.3.2");

    /// <summary>
    /// The <c>Tls</c> section (<see cref="TlsOptions"/>): when it names a certificate, the <see cref="ServiceCertificate"/>
    /// with its expiry gauge; and the <see cref="ServiceIdentity.Policy"/> of service-only methods in any case.
    /// </summary>
    public static IHostApplicationBuilder AddServiceTls(this IHostApplicationBuilder builder)
    {
        var tls = builder.GetTlsOptions();
        builder.Services.AddOptions<TlsOptions>().BindConfiguration(TlsOptions.SectionName);
        if (tls.Enabled)
        {
            builder.Services.AddSingleton<ServiceCertificate>();
            builder.AddTelemetrySources(ServiceCertificate.MeterName);
        }

        ServiceIdentity.AddPolicy(builder.Services, tls);
        return builder;
    }

    /// <summary>The <c>Tls</c> section as configured (checked: a certificate needs its key, mutual TLS its CA).</summary>
    public static TlsOptions GetTlsOptions(this IHostApplicationBuilder builder) => Read(builder.Configuration);

    /// <summary>
    /// TLS on <paramref name="listen"/> with the <see cref="ServiceCertificate"/> of the moment (rotation without restart)
    /// and, when <see cref="TlsOptions.ClientCertificates"/> asks for them, the callers' certificates checked against
    /// <see cref="TlsOptions.CaPath"/>. HTTP/1.1 and HTTP/2 are both offered (ALPN chooses).
    /// </summary>
    public static ListenOptions UseServiceTls(this ListenOptions listen, TlsOptions tls)
    {
        listen.Protocols = HttpProtocols.Http1AndHttp2;
        var certificate = listen.ApplicationServices.GetRequiredService<ServiceCertificate>(); // unreadable files fail the start
        listen.UseHttps(new TlsHandshakeCallbackOptions
        {
            OnConnection = _ =>
            {
                var options = new SslServerAuthenticationOptions
                {
                    ServerCertificateContext = certificate.Context,
                    ApplicationProtocols = [SslApplicationProtocol.Http2, SslApplicationProtocol.Http11],
                    CertificateRevocationCheckMode = System.Security.Cryptography.X509Certificates.X509RevocationMode.NoCheck,
                };
                if (tls.Mutual)
                {
                    options.ClientCertificateRequired = true; // asked for; Allow still accepts a caller without one
                    options.RemoteCertificateValidationCallback = (_, presented, chain, errors) => presented is null
                        ? tls.ClientCertificates == ClientCertificateRequirement.Allow
                        : certificate.IsTrusted(presented, chain, errors, ClientAuthentication);
                }

                return ValueTask.FromResult(options);
            },
        });
        return listen;
    }

    /// <summary>
    /// Calls to another service over TLS when this one has a certificate: the callee is checked against
    /// <see cref="TlsOptions.CaPath"/> and this service's certificate is presented as its identity (mutual TLS), the one
    /// of the moment on each new connection.
    /// </summary>
    public static IHttpClientBuilder AddServiceTlsClient(this IHttpClientBuilder client, TlsOptions tls)
    {
        if (!tls.Enabled)
        {
            return client;
        }

        return client.ConfigurePrimaryHttpMessageHandler(provider =>
        {
            var certificate = provider.GetRequiredService<ServiceCertificate>();
            return new SocketsHttpHandler
            {
                EnableMultipleHttp2Connections = true,
                PooledConnectionLifetime = TimeSpan.FromMinutes(5), // long-lived connections pick up a rotation too
                SslOptions = new SslClientAuthenticationOptions
                {
                    LocalCertificateSelectionCallback = (_, _, _, _, _) => certificate.Certificate,
                    RemoteCertificateValidationCallback = (_, presented, chain, errors) =>
                        presented is not null && (errors & SslPolicyErrors.RemoteCertificateNameMismatch) == 0
                        && certificate.IsTrusted(presented, chain, errors, ServerAuthentication),
                },
            };
        });
    }

    private static TlsOptions Read(IConfiguration configuration)
    {
        var tls = configuration.GetSection(TlsOptions.SectionName).Get<TlsOptions>() ?? new();
        var problems = new List<string>();
        if (tls.Enabled && string.IsNullOrWhiteSpace(tls.KeyPath))
        {
            problems.Add($"{TlsOptions.SectionName}:{nameof(TlsOptions.KeyPath)} is not set, and {nameof(TlsOptions.CertificatePath)} needs its key");
        }

        if (tls.Mutual && string.IsNullOrWhiteSpace(tls.CaPath))
        {
            problems.Add($"{TlsOptions.SectionName}:{nameof(TlsOptions.CaPath)} is not set, and {nameof(TlsOptions.ClientCertificates)} = {tls.ClientCertificates} checks callers against it");
        }

        if (!tls.Enabled && tls.ClientCertificates != ClientCertificateRequirement.None)
        {
            problems.Add($"{TlsOptions.SectionName}:{nameof(TlsOptions.ClientCertificates)} = {tls.ClientCertificates} needs TLS: set {nameof(TlsOptions.CertificatePath)} and {nameof(TlsOptions.KeyPath)}");
        }

        return problems.Count == 0
            ? tls
            : throw new InvalidOperationException("The TLS configuration is invalid:" + string.Concat(problems.Select(problem => "\n - " + problem)));
    }
}

using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Egov.Steering.ServiceDefaults.Tls;
using Microsoft.Extensions.Configuration;

namespace Egov.Steering.ServiceDefaults.Hosting;

public static class KestrelExtensions
{
    /// <summary>Port of the endpoint that serves gRPC: HTTP/2 cleartext (h2c), or TLS when <c>Tls</c> names a certificate. Default 8080.</summary>
    public const string GrpcPortKey = "Hosting:GrpcPort";

    /// <summary>Port of the HTTP/1.1 endpoint for /healthz, /readyz (Kubernetes httpGet probes). Default 8081.</summary>
    public const string HttpPortKey = "Hosting:HttpPort";

    /// <summary>
    /// Two endpoints on all interfaces: gRPC needs HTTP/2, and without TLS Kestrel cannot offer HTTP/1.1 and HTTP/2
    /// on one port (there is no ALPN to choose), while probes and curl speak HTTP/1.1. A <c>Kestrel:Endpoints</c>
    /// section in configuration replaces both, for operators who want other addresses. With a <c>Tls</c> certificate the
    /// gRPC port speaks TLS only (HTTP/2 and HTTP/1.1 by ALPN); the HTTP port stays plain text inside the pod (probes, metrics).
    /// </summary>
    public static WebApplicationBuilder ConfigureServiceKestrel(this WebApplicationBuilder builder)
    {
        if (builder.Configuration.GetSection("Kestrel:Endpoints").Exists())
        {
            return builder;
        }

        var grpcPort = builder.Configuration.GetValue(GrpcPortKey, 8080);
        var httpPort = builder.Configuration.GetValue(HttpPortKey, 8081);
        var tls = builder.GetTlsOptions();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.ListenAnyIP(grpcPort, listen =>
            {
                if (tls.Enabled)
                {
                    listen.UseServiceTls(tls); // the port other pods and the Ingress reach
                }
                else
                {
                    listen.Protocols = HttpProtocols.Http2;
                }
            });
            kestrel.ListenAnyIP(httpPort, listen => listen.Protocols = HttpProtocols.Http1);
        });
        return builder;
    }
}

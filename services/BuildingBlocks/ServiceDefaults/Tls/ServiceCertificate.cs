using System.Diagnostics.Metrics;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Egov.Steering.ServiceDefaults.Tls;

/// <summary>
/// The service's certificate as the files hold it now. A Kubernetes Secret update replaces the mounted files in place;
/// the files are looked at again (at most once per <see cref="RecheckInterval"/>) when a connection needs the
/// certificate, so a rotation reaches every new connection without a restart. Files caught half-written (a key that
/// does not match the certificate yet) leave the previous certificate in use until the next look.
/// </summary>
public sealed partial class ServiceCertificate : IDisposable
{
    /// <summary>The meter of <c>steering.tls.certificate.expiry</c> (root README, "Security: transport").</summary>
    public const string MeterName = "Egov.Steering.Tls";

    /// <summary>How long a certificate read from the files is used before they are compared again.</summary>
    public static readonly TimeSpan RecheckInterval = TimeSpan.FromSeconds(1);

    private readonly TlsOptions options;
    private readonly TimeProvider time;
    private readonly ILogger<ServiceCertificate> logger;
    private readonly Lock gate = new();
    private Loaded current;
    private DateTimeOffset nextCheck;

    public ServiceCertificate(IOptions<TlsOptions> options, TimeProvider time, IMeterFactory meters, ILogger<ServiceCertificate> logger)
    {
        this.options = options.Value;
        this.time = time;
        this.logger = logger;

        // An unreadable certificate at start-up fails the start: nothing could be served.
        current = Load(this.options) ?? throw new InvalidOperationException(
            $"{TlsOptions.SectionName}:{nameof(TlsOptions.CertificatePath)} '{this.options.CertificatePath}' and " +
            $"{nameof(TlsOptions.KeyPath)} '{this.options.KeyPath}' must be a PEM certificate and its private key");
        Authorities = LoadAuthorities(this.options.CaPath);
        nextCheck = time.GetUtcNow() + RecheckInterval;
        meters.Create(MeterName).CreateObservableGauge(
            "steering.tls.certificate.expiry",
            () => new Measurement<double>((Certificate.NotAfter.ToUniversalTime() - time.GetUtcNow().UtcDateTime).TotalSeconds, new KeyValuePair<string, object?>("listener", "grpc")),
            unit: "s",
            description: "Seconds until the certificate the gRPC port serves expires (negative once expired)");
    }

    /// <summary>The certificate to serve or present now.</summary>
    public X509Certificate2 Certificate => Current.Certificate;

    /// <summary>The certificate with its chain, for the server's handshake.</summary>
    public SslStreamCertificateContext Context => Current.Context;

    /// <summary>The authorities of <see cref="TlsOptions.CaPath"/>, empty when it is unset (the system's trust then).</summary>
    public X509Certificate2Collection Authorities { get; }

    /// <summary>
    /// Whether <paramref name="certificate"/> (a peer's, with its <paramref name="chain"/> as received) is issued by one
    /// of <see cref="Authorities"/> for <paramref name="usage"/> (server or client authentication); with no authorities
    /// configured, whether the system trusts it.
    /// </summary>
    public bool IsTrusted(X509Certificate certificate, X509Chain? chain, SslPolicyErrors errors, Oid usage)
    {
        if (Authorities.Count == 0)
        {
            return errors == SslPolicyErrors.None;
        }

        using var verified = new X509Chain();
        verified.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        verified.ChainPolicy.CustomTrustStore.AddRange(Authorities);
        verified.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        verified.ChainPolicy.ApplicationPolicy.Add(usage);
        foreach (var element in chain?.ChainElements.Select(element => element.Certificate) ?? [])
        {
            verified.ChainPolicy.ExtraStore.Add(element);
        }

        using var peer = new X509Certificate2(certificate);
        return verified.Build(peer);
    }

    public void Dispose()
    {
        current.Certificate.Dispose();
    }

    private Loaded Current
    {
        get
        {
            var now = time.GetUtcNow();
            lock (gate)
            {
                if (now < nextCheck)
                {
                    return current;
                }

                nextCheck = now + RecheckInterval;
                if (!FilesDiffer(current, options))
                {
                    return current;
                }

                if (Load(options) is { } rotated)
                {
                    LogRotated(rotated.Certificate.Subject, rotated.Certificate.NotAfter);
                    current = rotated; // the old one may still be in a handshake: left to the finalizer
                }
                else
                {
                    LogRotationUnreadable(options.CertificatePath);
                }

                return current;
            }
        }
    }

    private static bool FilesDiffer(Loaded loaded, TlsOptions options)
    {
        try
        {
            return !File.ReadAllBytes(options.CertificatePath!).AsSpan().SequenceEqual(loaded.CertificateFile)
                || !File.ReadAllBytes(options.KeyPath!).AsSpan().SequenceEqual(loaded.KeyFile);
        }
        catch (IOException)
        {
            return true; // in the middle of a swap: look again
        }
    }

    private static Loaded? Load(TlsOptions options)
    {
        try
        {
            var certificateFile = File.ReadAllBytes(options.CertificatePath!);
            var keyFile = File.ReadAllBytes(options.KeyPath!);
            var chain = new X509Certificate2Collection();
            chain.ImportFromPem(System.Text.Encoding.ASCII.GetString(certificateFile));
            var certificate = X509Certificate2.CreateFromPem(
                System.Text.Encoding.ASCII.GetString(certificateFile), System.Text.Encoding.ASCII.GetString(keyFile));
            var intermediates = new X509Certificate2Collection();
            intermediates.AddRange(chain.Skip(1).ToArray());
            var context = SslStreamCertificateContext.Create(certificate, intermediates, offline: true);
            return new Loaded(certificate, context, certificateFile, keyFile);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException or ArgumentException)
        {
            return null;
        }
    }

    private static X509Certificate2Collection LoadAuthorities(string? path)
    {
        var authorities = new X509Certificate2Collection();
        if (!string.IsNullOrWhiteSpace(path))
        {
            authorities.ImportFromPemFile(path);
            if (authorities.Count == 0)
            {
                throw new InvalidOperationException($"{TlsOptions.SectionName}:{nameof(TlsOptions.CaPath)} '{path}' holds no PEM certificate");
            }
        }

        return authorities;
    }

    [LoggerMessage(LogLevel.Information, "TLS certificate reloaded from its files: {Subject}, valid until {NotAfter:u}")]
    private partial void LogRotated(string subject, DateTime notAfter);

    [LoggerMessage(LogLevel.Warning, "The TLS certificate files at {Path} changed but cannot be read as a certificate and its key (yet); the previous certificate is still served")]
    private partial void LogRotationUnreadable(string? path);

    private sealed record Loaded(X509Certificate2 Certificate, SslStreamCertificateContext Context, byte[] CertificateFile, byte[] KeyFile);
}

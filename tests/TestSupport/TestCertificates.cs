using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Egov.Steering.TestSupport;

/// <summary>
/// Real X.509 certificates made in the test: a certificate authority and the certificates it issues, written as the
/// PEM files a Kubernetes TLS Secret mounts (<c>tls.crt</c>, <c>tls.key</c>, <c>ca.crt</c>).
/// </summary>
public sealed class TestCertificates : IDisposable
{
    private readonly ECDsa caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    public TestCertificates(string name)
    {
        var request = new CertificateRequest($"CN={name}", caKey, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        Authority = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        Directory = System.IO.Directory.CreateTempSubdirectory("steering-tls-").FullName;
        File.WriteAllText(CaPath, Authority.ExportCertificatePem());
    }

    public X509Certificate2 Authority { get; }

    /// <summary>Where the PEM files are written.</summary>
    public string Directory { get; }

    /// <summary>The authority's certificate (PEM).</summary>
    public string CaPath => Path.Combine(Directory, "ca.crt");

    /// <summary>
    /// Issues a certificate for <paramref name="dnsName"/> (also valid for 127.0.0.1 and localhost), usable for server
    /// and client authentication, and writes it to <c>&lt;file&gt;.crt</c> and <c>&lt;file&gt;.key</c>, replacing what
    /// was there; returns the certificate and the two paths.
    /// </summary>
    public IssuedCertificate Issue(string dnsName, string file, TimeSpan? validFor = null)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={dnsName}", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName(dnsName);
        names.AddDnsName("localhost");
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            [new Oid("1.3.6.1.5.5.7.3.1"), new Oid("1.3.6.1.5.5.7.3.2")], false));
        var serial = new byte[12];
        RandomNumberGenerator.Fill(serial);
        serial[0] &= 0x7F;
        var notBefore = DateTimeOffset.UtcNow.AddMinutes(-5);
        using var issued = request.Create(Authority, notBefore, notBefore + (validFor ?? TimeSpan.FromDays(30)), serial);
        var certificate = issued.CopyWithPrivateKey(key);

        var paths = (Certificate: Path.Combine(Directory, file + ".crt"), Key: Path.Combine(Directory, file + ".key"));
        // Written beside and moved in place, as the kubelet swaps a Secret's files: a reader never sees half a file.
        WriteAtomically(paths.Certificate, certificate.ExportCertificatePem());
        WriteAtomically(paths.Key, key.ExportPkcs8PrivateKeyPem());
        return new IssuedCertificate(certificate, paths.Certificate, paths.Key);
    }

    public void Dispose()
    {
        caKey.Dispose();
        Authority.Dispose();
        System.IO.Directory.Delete(Directory, recursive: true);
    }

    private static void WriteAtomically(string path, string content)
    {
        var temporary = path + ".new";
        File.WriteAllText(temporary, content);
        File.Move(temporary, path, overwrite: true);
    }
}

/// <summary>A certificate with its private key, and the PEM files it was written to.</summary>
public sealed record IssuedCertificate(X509Certificate2 Certificate, string CertificatePath, string KeyPath);

namespace Egov.Steering.ServiceDefaults.Tls;

/// <summary>
/// The <c>Tls</c> configuration section: the service's certificate (PEM files, as a Kubernetes TLS Secret mounts them),
/// served on the gRPC port and presented to the services it calls, and whether callers must present one too.
/// </summary>
public sealed class TlsOptions
{
    public const string SectionName = "Tls";

    /// <summary>The certificate chain (PEM, e.g. <c>tls.crt</c>). Set: the gRPC port speaks TLS only.</summary>
    public string? CertificatePath { get; set; }

    /// <summary>Its private key (PEM, e.g. <c>tls.key</c>).</summary>
    public string? KeyPath { get; set; }

    /// <summary>
    /// The certificate authorities (PEM, e.g. <c>ca.crt</c>) that the services' certificates are issued by: client
    /// certificates are validated against them, and so are the services this one calls. Unset: the system's trust.
    /// </summary>
    public string? CaPath { get; set; }

    /// <summary>Whether callers present a certificate (mutual TLS); see <see cref="ClientCertificateRequirement"/>.</summary>
    public ClientCertificateRequirement ClientCertificates { get; set; } = ClientCertificateRequirement.None;

    /// <summary>
    /// The services allowed to call service-only methods, by a DNS name (or the common name) of their client certificate,
    /// e.g. <c>egov-steering-decisions</c>.
    /// </summary>
    public string[] TrustedServices { get; set; } = [];

    public bool Enabled => !string.IsNullOrWhiteSpace(CertificatePath);

    /// <summary>Whether callers' certificates are asked for (and, when presented, checked against <see cref="CaPath"/>).</summary>
    public bool Mutual => Enabled && ClientCertificates != ClientCertificateRequirement.None;
}

public enum ClientCertificateRequirement
{
    /// <summary>No client certificate is asked for.</summary>
    None = 1,

    /// <summary>
    /// Asked for, not required: a presented certificate must chain to <see cref="TlsOptions.CaPath"/> (else the
    /// handshake fails); callers without one (ministries' systems through the Ingress) still connect with their token.
    /// </summary>
    Allow,

    /// <summary>Every caller presents a certificate of <see cref="TlsOptions.CaPath"/>; others cannot connect.</summary>
    Require,
}

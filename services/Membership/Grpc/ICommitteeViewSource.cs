using V1 = Egov.Steering.Membership.V1;

namespace Egov.Steering.Membership.Grpc;

/// <summary>Where GetCommitteeView and GetNationalOverview come from: the cached views (Views/).</summary>
public interface ICommitteeViewSource
{
    /// <summary>The committee's view as of the date (today when null); NOT_FOUND for an unknown committee.</summary>
    Task<V1.CommitteeView> GetCommitteeViewAsync(string committeeId, DateOnly? asOf, CancellationToken cancellationToken);

    /// <summary>The national overview as of the date (today when null); FAILED_PRECONDITION without a national committee.</summary>
    Task<V1.NationalOverview> GetNationalOverviewAsync(DateOnly? asOf, CancellationToken cancellationToken);
}

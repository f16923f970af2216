namespace Egov.Steering.Notifications.UseCases;

/// <summary>One page of a listing; <see cref="HasMore"/> when a next page starts after the last item.</summary>
public sealed record Page<T>(IReadOnlyList<T> Items, bool HasMore);

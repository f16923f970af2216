// Vietnamese wording and formats: dates dd/mm/yyyy, names in vi-VN order, search without diacritics (đ → d).

export const collator = new Intl.Collator('vi-VN', { sensitivity: 'base', numeric: true });

/**
 * The server's fold (VietnameseText.Fold): lower case without diacritics, đ → d (and the letters typed or decoded
 * for it, Ð/ð, Ɖ/ɖ), whitespace runs as one space: "Đà  Nẵng" and "da nang" fold alike.
 */
export function fold(text) {
  return (text ?? '').normalize('NFD').replace(/\p{Mn}/gu, '').replace(/[đĐðÐɖƉ]/g, 'd').toLowerCase()
    .replace(/\s+/g, ' ').trim().normalize('NFC');
}

/** The words of a search, folded: a text matches when it holds every one, in any order (as the server's searches). */
export function searchWords(query) {
  return fold(query).split(' ').filter((word) => word.length > 0);
}

const pad = (n) => String(n).padStart(2, '0');

/** A google.type.Date as dd/mm/yyyy. */
export function formatDate(date) {
  return date ? `${pad(date.day)}/${pad(date.month)}/${date.year}` : '';
}

/** Parses dd/mm/yyyy (d/m/yyyy too) into a google.type.Date; null when it is not a real date. */
export function parseDate(text) {
  const match = /^\s*(\d{1,2})\/(\d{1,2})\/(\d{4})\s*$/.exec(text ?? '');
  if (!match) return null;
  const [day, month, year] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const check = new Date(Date.UTC(year, month - 1, day));
  if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) return null;
  return { year, month, day };
}

/** yyyy-mm-dd, for the address bar. */
export function isoDate(date) {
  return `${date.year}-${pad(date.month)}-${pad(date.day)}`;
}

export function parseIsoDate(text) {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text ?? '');
  return match ? parseDate(`${match[3]}/${match[2]}/${match[1]}`) : null;
}

/** Today in Vietnam (Asia/Ho_Chi_Minh), whatever the browser's time zone: the register's civil dates are Vietnam's. */
export function todayInVietnam() {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Ho_Chi_Minh', year: 'numeric', month: '2-digit', day: '2-digit' })
    .formatToParts(new Date());
  const value = (type) => Number(parts.find((part) => part.type === type).value);
  return { year: value('year'), month: value('month'), day: value('day') };
}

/** A CivilDate as its source states it: a full date, "tháng 6/2019" or "năm 2019". */
export function formatCivilDate(date) {
  if (!date || !date.year) return '';
  switch (date.precision) {
    case 'DATE_PRECISION_YEAR': return `năm ${date.year}`;
    case 'DATE_PRECISION_MONTH': return `tháng ${pad(date.month)}/${date.year}`;
    default: return formatDate(date);
  }
}

export const isImprecise = (date) => !!date && (date.precision === 'DATE_PRECISION_YEAR' || date.precision === 'DATE_PRECISION_MONTH');

/** Orders CivilDates by their first day (the rule the register compares them by). */
export function civilDateKey(date) {
  return date && date.year ? date.year * 10000 + (date.month || 1) * 100 + (date.day || 1) : 0;
}

/** A timestamp (RFC 3339) as hh:mm:ss dd/mm/yyyy in Vietnam. */
export function formatTime(timestamp) {
  const when = timestamp ? new Date(timestamp) : new Date();
  const parts = new Intl.DateTimeFormat('vi-VN', {
    timeZone: 'Asia/Ho_Chi_Minh', hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false,
  }).format(when);
  return parts;
}

export const compliance = {
  COMPLIANCE_STATUS_COMPLIANT: { label: 'Tuân thủ', css: 'compliant', rank: 0 },
  COMPLIANCE_STATUS_NOT_COMPLIANT: { label: 'Chưa tuân thủ', css: 'not-compliant', rank: 1 },
  COMPLIANCE_STATUS_UNKNOWN: { label: 'Chưa xác định', css: 'unknown', rank: 2 },
  COMPLIANCE_STATUS_UNSPECIFIED: { label: 'Chưa đánh giá', css: 'unassessed', rank: 3 },
};

export const complianceOf = (status) => compliance[status] ?? compliance.COMPLIANCE_STATUS_UNSPECIFIED;

// Roles of a "Ban chỉ đạo" (Trưởng ban) and of an "Ủy ban" (Chủ tịch).
const roleWords = {
  MEMBERSHIP_ROLE_CHAIR: ['Trưởng ban', 'Chủ tịch'],
  MEMBERSHIP_ROLE_STANDING_VICE_CHAIR: ['Phó Trưởng ban thường trực', 'Phó Chủ tịch thường trực'],
  MEMBERSHIP_ROLE_VICE_CHAIR: ['Phó Trưởng ban', 'Phó Chủ tịch'],
  MEMBERSHIP_ROLE_STANDING_MEMBER: ['Ủy viên thường trực', 'Ủy viên thường trực'],
  MEMBERSHIP_ROLE_SECRETARY: ['Thư ký', 'Thư ký'],
  MEMBERSHIP_ROLE_MEMBER: ['Ủy viên', 'Ủy viên'],
};

/** Whether the committee's head is a Chủ tịch (an Ủy ban, the national committee) rather than a Trưởng ban. */
export const isCommission = (committeeName) => /^(ủy|uỷ) ban/i.test((committeeName ?? '').normalize('NFC'));

export function roleLabel(role, commission, otherRole) {
  if (role === 'MEMBERSHIP_ROLE_OTHER') return otherRole || 'Khác';
  return (roleWords[role] ?? ['Khác', 'Khác'])[commission ? 1 : 0];
}

export function rolesLabel(membership, commission) {
  return (membership.roles ?? []).map((role) => roleLabel(role, commission, membership.otherRole)).join(' kiêm ');
}

// Vietnamese protocol order: chair, standing vice chair, vice chairs, standing members, members; a secretary who is
// not a member last.
const protocolRank = {
  MEMBERSHIP_ROLE_CHAIR: 0,
  MEMBERSHIP_ROLE_STANDING_VICE_CHAIR: 1,
  MEMBERSHIP_ROLE_VICE_CHAIR: 2,
  MEMBERSHIP_ROLE_STANDING_MEMBER: 3,
  MEMBERSHIP_ROLE_MEMBER: 4,
  MEMBERSHIP_ROLE_OTHER: 5,
  MEMBERSHIP_ROLE_SECRETARY: 6,
};

export function protocolRankOf(membership) {
  return Math.min(...(membership.roles ?? []).map((role) => protocolRank[role] ?? 5), 7);
}

export const levelWords = {
  COMMITTEE_LEVEL_NATIONAL: 'Quốc gia',
  COMMITTEE_LEVEL_MINISTRY: 'Bộ, ngành',
  COMMITTEE_LEVEL_PROVINCE: 'Tỉnh, thành phố',
};

export const levelKey = (level) => (level ?? '').replace('COMMITTEE_LEVEL_', '').toLowerCase();

export const mandateWords = {
  MANDATE_TOPIC_E_GOVERNMENT: 'Chính phủ điện tử',
  MANDATE_TOPIC_SMART_CITY: 'Đô thị thông minh',
  MANDATE_TOPIC_DIGITAL_TRANSFORMATION: 'Chuyển đổi số',
  MANDATE_TOPIC_DIGITAL_ECONOMY: 'Kinh tế số',
};

export const decisionKindWords = {
  DECISION_KIND_ESTABLISH: 'Thành lập',
  DECISION_KIND_CONSOLIDATE: 'Kiện toàn',
  DECISION_KIND_AMEND: 'Sửa đổi, bổ sung',
  DECISION_KIND_RENAME: 'Đổi tên',
  DECISION_KIND_MERGE: 'Hợp nhất',
  DECISION_KIND_DISSOLVE: 'Giải thể',
  DECISION_KIND_REVOKE: 'Bãi bỏ',
};

export const decisionStateWords = {
  DECISION_STATE_DRAFT: 'Dự thảo',
  DECISION_STATE_ISSUED: 'Đã ban hành, chờ áp dụng',
  DECISION_STATE_APPLIED: 'Đã áp dụng',
  DECISION_STATE_REJECTED: 'Bị từ chối',
  DECISION_STATE_REVOKED: 'Đã bị bãi bỏ',
  DECISION_STATE_SUPERSEDED: 'Đã được thay thế',
};

export const committeeStateWords = {
  COMMITTEE_STATE_PLANNED: 'Chưa thành lập tại ngày này',
  COMMITTEE_STATE_ACTIVE: 'Đang hoạt động',
  COMMITTEE_STATE_MERGED: 'Đã hợp nhất',
  COMMITTEE_STATE_DISSOLVED: 'Đã giải thể',
  COMMITTEE_STATE_NOT_RECORDED: 'Chưa có trong hồ sơ tại ngày này (đã tồn tại trước quyết định đầu tiên được ghi nhận)',
  COMMITTEE_STATE_JURISDICTION_ENDED: 'Chấm dứt cùng địa giới hành chính',
};

export const workingGroupRoleWords = {
  WORKING_GROUP_ROLE_LEADER: 'Tổ trưởng',
  WORKING_GROUP_ROLE_DEPUTY_LEADER: 'Tổ phó',
  WORKING_GROUP_ROLE_MEMBER: 'Thành viên',
};

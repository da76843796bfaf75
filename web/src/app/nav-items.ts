import type { Feature } from '../../../shared/admin-limits';

/** The app's main destinations, in the order the navigation shows them. */
export interface NavItem {
  path: string;
  label: string;
  /** A single glyph; the label is what screen readers hear. */
  icon: string;
  /**
   * Shown to admins only, and only in the side rail (phones reach it from
   * Settings). Hiding the link is a courtesy: the server enforces the role.
   */
  adminOnly?: boolean;
  /**
   * Hidden while the user's seat lacks this feature (again a courtesy: the
   * server refuses it), and back as soon as it has it again (the features
   * store follows licence changes live).
   */
  feature?: Feature;
}

export const NAV_ITEMS: NavItem[] = [
  // Not hidden with calling: the screen also holds do-not-disturb and the colleagues' presence,
  // and says why there is no keypad.
  { path: '/', label: 'Dialer', icon: '☎' },
  { path: '/contacts', label: 'Contacts', icon: '👤' },
  { path: '/history', label: 'History', icon: '🕘' },
  { path: '/voicemail', label: 'Voicemail', icon: '✉', feature: 'voicemail' },
  { path: '/messages', label: 'Messages', icon: '💬', feature: 'sms' },
  { path: '/settings', label: 'Settings', icon: '⚙' },
  { path: '/admin', label: 'Admin', icon: '🛠', adminOnly: true },
];

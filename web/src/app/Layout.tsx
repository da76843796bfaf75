import type { ComponentChildren } from 'preact';
import { useLocation } from 'preact-iso';
import { featureShown } from '../admin/my-features';
import { isAdmin, me } from '../auth/session';
import { PhoneMount } from '../calling/PhoneMount';
import { MissedBadge } from '../history/MissedBadge';
import { DndBanner } from '../presence/DndBanner';
import { VoicemailBadge } from '../voicemail/VoicemailBadge';
import { online } from './connectivity';
import { NAV_ITEMS } from './nav-items';
import { isPublicPath } from './routes';
import { UpdatePrompt } from './UpdatePrompt';

/**
 * The frame around every screen: a side rail on a desktop, a bottom tab bar
 * on a phone (CSS decides; the markup is the same). Signed out, and on the
 * sign-in, sign-up and invitation screens, there is no navigation.
 */
export function Layout({ children }: { children: ComponentChildren }) {
  const { path } = useLocation();
  const user = me.value;
  const withNav = Boolean(user) && !isPublicPath(path);
  const items = NAV_ITEMS.filter((item) => (!item.adminOnly || isAdmin(user)) && (!item.feature || featureShown(item.feature)));
  // One tree either way, so <main> and the screen in it are not remounted when the navigation appears.
  return (
    <div class={withNav ? 'shell' : 'shell shell-public'}>
      {withNav && (
        <a class="skip-link" href="#main">
          Skip to content
        </a>
      )}
      {withNav && (
        <nav class="nav" aria-label="Main">
          <span class="brand" aria-hidden="true">
            Softphone
          </span>
          <ul>
            {items.map((item) => (
              <li key={item.path} class={item.adminOnly ? 'nav-wide-only' : undefined}>
                <a href={item.path} aria-current={isCurrent(path, item.path) ? 'page' : undefined}>
                  <span class="nav-icon" aria-hidden="true">
                    {item.icon}
                  </span>
                  <span class="nav-label">{item.label}</span>
                  {item.path === '/history' && <MissedBadge />}
                  {item.path === '/voicemail' && <VoicemailBadge />}
                </a>
              </li>
            ))}
          </ul>
        </nav>
      )}
      <main id="main" class="main" tabIndex={-1}>
        {!online.value && (
          <p class="banner banner-offline" role="status">
            {withNav
              ? 'You are offline. Saved contacts and history still work; calls need a connection.'
              : 'You are offline. Signing in needs a connection.'}
          </p>
        )}
        <UpdatePrompt />
        <PhoneMount />
        {/* The dialer has the switch itself; every other screen reminds while it is on. */}
        {withNav && path !== '/' && <DndBanner />}
        {children}
      </main>
    </div>
  );
}

function isCurrent(current: string, item: string): boolean {
  return item === '/' ? current === '/' : current === item || current.startsWith(`${item}/`);
}

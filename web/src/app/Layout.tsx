import type { ComponentChildren } from 'preact';
import { useLocation } from 'preact-iso';
import { online } from './connectivity';
import { NAV_ITEMS } from './nav-items';
import { UpdatePrompt } from './UpdatePrompt';

/**
 * The frame around every screen: a side rail on a desktop, a bottom tab bar
 * on a phone (CSS decides; the markup is the same).
 */
export function Layout({ children }: { children: ComponentChildren }) {
  const { path } = useLocation();
  return (
    <div class="shell">
      <a class="skip-link" href="#main">
        Skip to content
      </a>
      <nav class="nav" aria-label="Main">
        <span class="brand" aria-hidden="true">
          Softphone
        </span>
        <ul>
          {NAV_ITEMS.map((item) => (
            <li key={item.path}>
              <a href={item.path} aria-current={isCurrent(path, item.path) ? 'page' : undefined}>
                <span class="nav-icon" aria-hidden="true">
                  {item.icon}
                </span>
                <span class="nav-label">{item.label}</span>
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <main id="main" class="main" tabIndex={-1}>
        {!online.value && (
          <p class="banner banner-offline" role="status">
            You are offline. Saved contacts and history still work; calls need a connection.
          </p>
        )}
        <UpdatePrompt />
        {children}
      </main>
    </div>
  );
}

function isCurrent(current: string, item: string): boolean {
  return item === '/' ? current === '/' : current === item || current.startsWith(`${item}/`);
}

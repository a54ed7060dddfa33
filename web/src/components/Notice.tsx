import type { ReactNode } from 'react';
import { Icon } from './Icon';

/** A readable notice inside the answer (a failed part, a warning, an interruption). */
export function Notice({ tone = 'warn', children, action }: { tone?: 'warn' | 'info' | 'error'; children: ReactNode; action?: ReactNode }) {
  return (
    <div className={`notice notice-${tone}`} role={tone === 'error' ? 'alert' : undefined}>
      <Icon name={tone === 'info' ? 'info' : 'warning'} size={16} />
      <div className="notice-body">{children}</div>
      {action}
    </div>
  );
}

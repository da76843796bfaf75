/**
 * Resolves just after the next frame is painted (the task after it), or
 * within 100 ms when no frame comes (a hidden tab paints none). For work
 * that should not hold back what the person is about to see.
 */
export function afterNextPaint(): Promise<void> {
  return new Promise((resolve) => {
    const later = () => setTimeout(resolve, 0);
    if (typeof requestAnimationFrame === 'function' && !document.hidden) requestAnimationFrame(later);
    else later();
    setTimeout(resolve, 100);
  });
}

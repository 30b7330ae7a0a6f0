import { act, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { forgetLeft, rememberLeft, UNDO_MS } from '../store/leave-undo.js';
import { room } from '../test-helpers.js';
import { LeaveUndo } from './LeaveUndo.js';

describe('the undo after leaving a room', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
  });
  afterEach(() => {
    act(() => forgetLeft());
    vi.useRealTimers();
  });

  const undoButton = () => screen.queryByRole('button', { name: 'Undo: join Lab again' });

  it(`goes after ${UNDO_MS / 1000} s`, () => {
    render(<LeaveUndo />);
    act(() => rememberLeft(room({ name: 'Lab' }), 0));
    expect(undoButton()).not.toBeNull();
    act(() => void vi.advanceTimersByTime(UNDO_MS - 1));
    expect(undoButton()).not.toBeNull();
    act(() => void vi.advanceTimersByTime(1));
    expect(undoButton()).toBeNull();
  });

  it('waits while the pointer is on it, and again once it leaves', () => {
    render(<LeaveUndo />);
    act(() => rememberLeft(room({ name: 'Lab' }), 0));
    const region = screen.getByRole('status');
    fireEvent.pointerEnter(region);
    act(() => void vi.advanceTimersByTime(UNDO_MS * 5));
    expect(undoButton()).not.toBeNull();
    fireEvent.pointerLeave(region);
    act(() => void vi.advanceTimersByTime(UNDO_MS - 1));
    expect(undoButton()).not.toBeNull();
    act(() => void vi.advanceTimersByTime(1));
    expect(undoButton()).toBeNull();
  });

  it('waits while keyboard focus is on it', () => {
    render(<LeaveUndo />);
    act(() => rememberLeft(room({ name: 'Lab' }), 0));
    act(() => undoButton()!.focus());
    act(() => void vi.advanceTimersByTime(UNDO_MS * 5));
    expect(undoButton()).not.toBeNull();
    act(() => undoButton()!.blur());
    act(() => void vi.advanceTimersByTime(UNDO_MS));
    expect(undoButton()).toBeNull();
  });
});
